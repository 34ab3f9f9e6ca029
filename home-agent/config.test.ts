import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, loadPolicy, parseHookEnv } from './config.ts';
import { DEFAULT_POLICY } from './policy.ts';

let home: string;
let dir: string;
const writeConfig = (value: unknown): void => writeFileSync(join(dir, 'config.json'), JSON.stringify(value));

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'hearth-config-'));
  dir = join(home, 'cfg');
  mkdirSync(dir, { mode: 0o700 });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('uses defaults under ~/.config/hearth when nothing is set', () => {
    const config = loadConfig({}, {}, home);
    expect(config).toEqual({
      configDir: join(home, '.config', 'hearth'),
      server: undefined,
      workspaces: [],
      maxConcurrent: 2,
      tmuxSocket: 'hearth',
      keepOpenMinutes: 30,
      searchPath: '',
    });
  });

  it('takes keepOpenMinutes from flags over env over the file, fractions and 0 included', () => {
    writeConfig({ keepOpenMinutes: 10 });
    expect(loadConfig({}, { HEARTH_HOME: dir }, home).keepOpenMinutes).toBe(10);
    expect(loadConfig({}, { HEARTH_HOME: dir, HEARTH_KEEP_OPEN_MINUTES: '0.05' }, home).keepOpenMinutes).toBe(0.05);
    expect(loadConfig({ keepOpenMinutes: '0' }, { HEARTH_HOME: dir, HEARTH_KEEP_OPEN_MINUTES: '5' }, home).keepOpenMinutes).toBe(0);
  });

  it('takes flags over env over the config file', () => {
    writeConfig({ server: 'https://file.example', maxConcurrent: 3, tmuxSocket: 'file' });
    const env = { HEARTH_HOME: dir, HEARTH_SERVER: 'https://env.example/', HEARTH_MAX_CONCURRENT: '4' };
    expect(loadConfig({}, { HEARTH_HOME: dir }, home)).toMatchObject({
      server: 'https://file.example',
      maxConcurrent: 3,
      tmuxSocket: 'file',
    });
    expect(loadConfig({}, env, home)).toMatchObject({
      configDir: dir,
      server: 'https://env.example',
      maxConcurrent: 4,
      tmuxSocket: 'file',
    });
    expect(
      loadConfig({ server: 'http://127.0.0.1:8787', maxConcurrent: '5', tmuxSocket: 'flag' }, env, home),
    ).toMatchObject({ server: 'http://127.0.0.1:8787', maxConcurrent: 5, tmuxSocket: 'flag' });
  });

  it('reads workspaces with absolute existing paths', () => {
    writeConfig({ workspaces: [{ name: 'repo', path: home }] });
    expect(loadConfig({}, { HEARTH_HOME: dir }, home).workspaces).toEqual([{ name: 'repo', path: home }]);
  });

  it.each([
    ['a relative path', { workspaces: [{ name: 'w', path: 'relative/dir' }] }, 'workspaces.0.path'],
    ['a missing directory', { workspaces: [{ name: 'w', path: '/no/such/dir' }] }, 'existing directory'],
    ['a bad workspace name', { workspaces: [{ name: '../x', path: '/tmp' }] }, 'workspaces.0.name'],
    ['duplicate names', { workspaces: [{ name: 'w', path: '/tmp' }, { name: 'w', path: '/' }] }, 'unique'],
    ['an unknown key', { serverUrl: 'https://x.example' }, 'serverUrl'],
    ['a zero limit', { maxConcurrent: 0 }, 'maxConcurrent'],
    ['a non-http server', { server: 'ftp://x.example' }, 'server'],
    ['a hostile socket name', { tmuxSocket: '-x;kill' }, 'tmuxSocket'],
    ['a negative keep-open time', { keepOpenMinutes: -1 }, 'keepOpenMinutes'],
    ['a keep-open time over a day', { keepOpenMinutes: 1441 }, 'keepOpenMinutes'],
  ])('rejects %s in config.json', (_name, value, message) => {
    writeConfig(value);
    expect(() => loadConfig({}, { HEARTH_HOME: dir }, home)).toThrow(message);
  });

  it('rejects a config file that is not JSON', () => {
    writeFileSync(join(dir, 'config.json'), '{oops');
    expect(() => loadConfig({}, { HEARTH_HOME: dir }, home)).toThrow(/not valid JSON/);
  });

  it('rejects bad env and flags, naming the source', () => {
    expect(() => loadConfig({}, { HEARTH_MAX_CONCURRENT: 'lots' }, home)).toThrow(/environment: HEARTH_MAX_CONCURRENT/);
    expect(() => loadConfig({ server: 'not a url' }, {}, home)).toThrow(/command line: server/);
    expect(() => loadConfig({}, { HEARTH_HOME: 'relative' }, home)).toThrow(/HEARTH_HOME/);
    expect(() => loadConfig({}, { HEARTH_KEEP_OPEN_MINUTES: 'forever' }, home)).toThrow(/environment: HEARTH_KEEP_OPEN_MINUTES/);
    expect(() => loadConfig({ keepOpenMinutes: '2000' }, {}, home)).toThrow(/command line: keepOpenMinutes/);
  });
});

describe('loadConfig tmux safety', () => {
  it('rejects workspace paths tmux would expand or split', () => {
    writeConfig({ workspaces: [{ name: 'w', path: '/tmp/#(touch x)' }] });
    expect(() => loadConfig({}, { HEARTH_HOME: dir }, home)).toThrow(/tmux would interpret/);
    writeConfig({ workspaces: [{ name: 'w', path: '/tmp/a;' }] });
    expect(() => loadConfig({}, { HEARTH_HOME: dir }, home)).toThrow(/tmux would interpret/);
  });
});

describe('loadPolicy', () => {
  it('is the default policy when policy.json is missing', () => {
    expect(loadPolicy(dir)).toEqual({ policy: DEFAULT_POLICY, source: 'defaults' });
  });

  it('reads policy.json over the defaults', () => {
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ approvalDeadlineMinutes: 5, denyCommands: ['^npm publish'] }));
    const { policy, source } = loadPolicy(dir);
    expect(source).toBe('file');
    expect(policy).toMatchObject({ approvalDeadlineMinutes: 5, denyCommands: ['^npm publish'], maxAutoAllowMinutes: 60 });
  });

  it.each([
    ['an unknown field', { allowEverything: true }, /allowEverything/],
    ['a bad regular expression', { allowCommands: ['(('] }, /allowCommands\.0: not a valid regular expression/],
    ['a deadline of 0', { approvalDeadlineMinutes: 0 }, /approvalDeadlineMinutes/],
  ])('refuses %s with the zod error (the agent does not start)', (_name, value, message) => {
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(value));
    expect(() => loadPolicy(dir)).toThrow(message);
  });

  it('refuses a policy.json that is not JSON', () => {
    writeFileSync(join(dir, 'policy.json'), '{ "approvalDeadlineMinutes": ');
    expect(() => loadPolicy(dir)).toThrow(/not valid JSON/);
  });
});

describe('parseHookEnv', () => {
  const task = '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11';
  const ok = { HEARTH_HOOK_SOCKET: '/s/run/hook.sock', HEARTH_TASK: `hearth:${task}`, HEARTH_HOOK_TOKEN: 't'.repeat(43) };

  it('takes the task id from the task marker (or a bare id)', () => {
    expect(parseHookEnv(ok)).toEqual({ ok: true, value: { socket: '/s/run/hook.sock', taskId: task, token: 't'.repeat(43) } });
    expect(parseHookEnv({ ...ok, HEARTH_TASK: task })).toMatchObject({ ok: true, value: { taskId: task } });
  });

  it.each([
    ['no socket', { HEARTH_HOOK_SOCKET: undefined }],
    ['a relative socket', { HEARTH_HOOK_SOCKET: 'hook.sock' }],
    ['no task id in the marker', { HEARTH_TASK: 'hearth:' }],
    ['a short token', { HEARTH_HOOK_TOKEN: 'short' }],
  ])('never throws on %s', (_name, patch) => {
    expect(parseHookEnv({ ...ok, ...patch }).ok).toBe(false);
  });
});

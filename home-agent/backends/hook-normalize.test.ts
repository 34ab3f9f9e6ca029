import { describe, expect, test } from 'vitest';
import { normalizeHook } from './hook-normalize.ts';
import { canonicalJson, inputHash } from './input-hash.ts';

const WS = '/home/me/ws';
// Payloads as the pinned CLIs sent them (docs/cli-backends.md §1.5, §2.5, §3.5).
const claudeBash = {
  session_id: '34f0', transcript_path: '/h/.claude/projects/x.jsonl', cwd: WS, permission_mode: 'default',
  hook_event_name: 'PermissionRequest', tool_name: 'Bash', tool_input: { command: 'touch approved.txt', description: 'Create the file' },
  permission_suggestions: [{ type: 'addDirectories', directories: [WS], destination: 'session' }],
};
const claudeWrite = { ...claudeBash, tool_name: 'Write', tool_input: { file_path: `${WS}/approved.txt`, content: 'approved\n' } };
const codexBash = {
  session_id: '01a2', turn_id: '01a2', transcript_path: '/c/sessions/r.jsonl', cwd: WS, hook_event_name: 'PermissionRequest',
  model: 'lab-model', permission_mode: 'default', tool_name: 'Bash',
  tool_input: { command: 'touch approved.txt', description: 'Create approved.txt in the workspace?' },
};
const geminiShell = {
  session_id: '1881', transcript_path: '/h/.gemini/tmp/ws/chats/s.jsonl', cwd: WS, hook_event_name: 'BeforeTool',
  timestamp: '2026-11-22T17:57:53.233Z', tool_name: 'run_shell_command', tool_input: { command: 'touch approved.txt', description: 'Create the file' },
};
const gemini = (tool_name: string, tool_input: Record<string, unknown>) => ({ ...geminiShell, tool_name, tool_input });
const claude = (tool_name: string, tool_input: Record<string, unknown>) => ({ ...claudeBash, tool_name, tool_input });

describe('normalizeHook: the real payloads', () => {
  test('Claude Bash → shell call, the exact command, the CLI cwd', () => {
    const r = normalizeHook('claude', claudeBash, WS);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.call).toEqual({ kind: 'shell', tool: 'Bash', command: 'touch approved.txt', paths: [], cwd: WS });
    expect(r.value.request).toEqual({
      tool: 'Bash', summary: 'touch approved.txt', cwd: WS, source: 'hook',
      detail: JSON.stringify(claudeBash.tool_input, null, 2),
    });
    expect(r.value.inputHash).toBe(inputHash('Bash', claudeBash.tool_input));
  });

  test('Claude Write → write of the file path', () => {
    const r = normalizeHook('claude', claudeWrite, WS);
    expect(r.ok && r.value.call).toMatchObject({ kind: 'write', paths: [`${WS}/approved.txt`] });
    expect(r.ok && r.value.request.summary).toBe(`${WS}/approved.txt`);
  });

  test('Codex Bash (exec approval) → shell call', () => {
    const r = normalizeHook('codex', codexBash, WS);
    expect(r.ok && r.value.call).toEqual({ kind: 'shell', tool: 'Bash', command: 'touch approved.txt', paths: [], cwd: WS });
  });

  test('Gemini run_shell_command → shell call; dir_path moves the cwd', () => {
    expect(normalizeHook('gemini', geminiShell, WS)).toMatchObject({ ok: true, value: { call: { kind: 'shell', command: 'touch approved.txt', cwd: WS } } });
    const sub = normalizeHook('gemini', gemini('run_shell_command', { command: 'make', dir_path: 'sub' }), WS);
    expect(sub.ok && sub.value.call.cwd).toBe(`${WS}/sub`);
  });
});

describe('tool tables', () => {
  test.each([
    ['claude', claude('Edit', { file_path: 'a.ts', old_string: 'x', new_string: 'y' }), 'write', ['a.ts']],
    ['claude', claude('MultiEdit', { file_path: 'a.ts', edits: [] }), 'write', ['a.ts']],
    ['claude', claude('NotebookEdit', { notebook_path: 'n.ipynb', new_source: '' }), 'write', ['n.ipynb']],
    ['claude', claude('Read', { file_path: '/etc/passwd' }), 'read', ['/etc/passwd']],
    ['claude', claude('Glob', { pattern: '**/*.ts' }), 'read', ['.']],
    ['claude', claude('Grep', { pattern: 'x', path: 'src' }), 'read', ['src']],
    ['claude', claude('LS', { path: '/tmp' }), 'read', ['/tmp']],
    ['claude', claude('WebFetch', { url: 'https://example.com', prompt: 'p' }), 'fetch', []],
    ['claude', claude('WebSearch', { query: 'q' }), 'fetch', []],
    ['claude', claude('mcp__github__create_issue', { title: 't' }), 'other', []],
    ['codex', { ...codexBash, tool_name: 'apply_patch', tool_input: { patch: '*** Begin Patch\n*** Add File: b.txt\n+x\n*** End Patch' } }, 'write', ['b.txt']],
    ['codex', { ...codexBash, tool_name: 'mcp__x', tool_input: {} }, 'other', []],
    ['gemini', gemini('write_file', { file_path: 'approved.txt', content: 'x' }), 'write', ['approved.txt']],
    ['gemini', gemini('replace', { file_path: 'a.ts', old_string: 'x', new_string: 'y' }), 'write', ['a.ts']],
    ['gemini', gemini('read_file', { file_path: 'a.ts' }), 'read', ['a.ts']],
    ['gemini', gemini('list_directory', { dir_path: 'src' }), 'read', ['src']],
    ['gemini', gemini('glob', { pattern: '*.ts' }), 'read', ['.']],
    ['gemini', gemini('grep_search', { pattern: 'x' }), 'read', ['.']],
    ['gemini', gemini('web_fetch', { prompt: 'summarise https://example.com' }), 'fetch', []],
    ['gemini', gemini('google_web_search', { query: 'q' }), 'fetch', []],
    ['gemini', gemini('invoke_agent', { name: 'x' }), 'other', []],
  ] as const)('%s %s', (backend, payload, kind, paths) => {
    const r = normalizeHook(backend, payload, WS);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.call.kind).toBe(kind);
    expect(r.value.call.paths).toEqual(paths);
    expect(r.value.request.summary.length).toBeGreaterThan(0);
  });

  test('a Codex command given as argv is joined with quoting', () => {
    const r = normalizeHook('codex', { ...codexBash, tool_input: { command: ['bash', '-lc', "echo 'hi there'"] } }, WS);
    expect(r.ok && r.value.call.command).toBe(`bash -lc 'echo '\\''hi there'\\'''`);
  });
});

describe('refusals and limits', () => {
  test.each([
    ['not an object', 'touch x'],
    ['no tool name', { tool_input: { command: 'x' } }],
    ['tool input not an object', { tool_name: 'Bash', tool_input: 'touch x' }],
  ])('%s → error (the caller denies)', (_name, payload) => {
    expect(normalizeHook('claude', payload, WS).ok).toBe(false);
  });

  test('the shell backend has no hooks', () => {
    expect(normalizeHook('shell', claudeBash, WS).ok).toBe(false);
  });

  test('a missing cwd is the workspace; long input is cut for display but hashed whole', () => {
    const big = 'y'.repeat(100_000);
    const r = normalizeHook('claude', { tool_name: 'Write', tool_input: { file_path: 'f', content: big } }, WS);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.call.cwd).toBe(WS);
    expect(r.value.request.detail.length).toBeLessThanOrEqual(32 * 1024);
    expect(r.value.inputHash).toBe(inputHash('Write', { file_path: 'f', content: big }));
  });
});

describe('input hash', () => {
  test('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  test('the same call in any key order hashes the same; another input does not', () => {
    const h = inputHash('Bash', { command: 'touch a', description: 'd' });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(inputHash('Bash', { description: 'd', command: 'touch a' })).toBe(h);
    expect(inputHash('Bash', { command: 'touch b', description: 'd' })).not.toBe(h);
    expect(inputHash('Write', { command: 'touch a', description: 'd' })).not.toBe(h);
  });
});

import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsPath, ensurePrivateDir, readCredentials, writeCredentials } from './credentials.ts';

let root: string;
let dir: string;
const credentials = {
  server: 'https://hearth.example',
  accessToken: 'a'.repeat(40),
  deviceId: '7d0c6a56-29a4-4a5e-9d7c-1f1f3a1b2c3d',
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hearth-cred-'));
  dir = join(root, 'hearth');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('credentials', () => {
  it('is undefined before pairing', () => {
    ensurePrivateDir(dir);
    expect(readCredentials(dir)).toBeUndefined();
  });

  it('writes a 0600 file in a 0700 dir and reads it back', () => {
    writeCredentials(dir, credentials);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(credentialsPath(dir)).mode & 0o777).toBe(0o600);
    expect(readCredentials(dir)).toEqual(credentials);
  });

  it('refuses a token file readable by group or others, saying how to fix it', () => {
    writeCredentials(dir, credentials);
    chmodSync(credentialsPath(dir), 0o644);
    expect(() => readCredentials(dir)).toThrow(/chmod 600/);
    chmodSync(credentialsPath(dir), 0o640);
    expect(() => readCredentials(dir)).toThrow(/readable by others/);
  });

  it('refuses a config dir that is not 0700', () => {
    writeCredentials(dir, credentials);
    chmodSync(dir, 0o755);
    expect(() => readCredentials(dir)).toThrow(/chmod 700/);
    expect(() => ensurePrivateDir(dir)).toThrow(/chmod 700/);
  });

  it('refuses a malformed file without echoing its content', () => {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(credentialsPath(dir), JSON.stringify({ accessToken: 'secret-value' }), { mode: 0o600 });
    expect(() => readCredentials(dir)).toThrow(/hearth login again/);
    expect(() => readCredentials(dir)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret-value') }));
  });
});

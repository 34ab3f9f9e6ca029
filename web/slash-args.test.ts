// The arguments of /model and /switch: model names per backend and which backend a word means.
import { describe, expect, it } from 'vitest';
import { backendArg, modelArg, modelSuggestions, takesModel } from './slash-args.ts';
import { ModelName } from '../protocol/index.ts';

describe('modelArg', () => {
  it('accepts a ModelName for an AI CLI', () => {
    expect(modelArg('gpt-5', 'codex')).toEqual({ ok: true, value: 'gpt-5' });
    expect(modelArg('models/gemini-2.5-pro:latest', 'gemini')).toEqual({ ok: true, value: 'models/gemini-2.5-pro:latest' });
  });

  it('refuses names the CLI could read as something else, and any model for the shell', () => {
    for (const bad of ['-x', '--dangerously', 'a b', '', 'x'.repeat(65), 'naïve', '$(id)']) {
      const result = modelArg(bad, 'claude');
      expect(result.ok, bad).toBe(false);
    }
    expect(modelArg('opus', 'shell')).toEqual({ ok: false, message: 'The shell backend takes no model — /switch to an AI CLI first.' });
  });
});

describe('modelSuggestions', () => {
  it('offers names for each AI CLI, each a valid ModelName, and none for the shell', () => {
    for (const backend of ['claude', 'codex', 'gemini']) {
      expect(takesModel(backend)).toBe(true);
      const names = modelSuggestions(backend);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(ModelName.safeParse(name).success).toBe(true);
    }
    expect(modelSuggestions('shell')).toEqual([]);
    expect(takesModel('shell')).toBe(false);
  });
});

describe('backendArg', () => {
  it('picks an offered backend, case-insensitively', () => {
    expect(backendArg('Shell', ['shell', 'claude'])).toEqual({ ok: true, value: 'shell' });
  });

  it('says what is offered when the word is no backend, or one the agents do not offer', () => {
    expect(backendArg('vim', ['shell', 'claude'])).toEqual({ ok: false, message: 'Unknown backend “vim” — offered: shell, claude.' });
    expect(backendArg('codex', ['shell'])).toEqual({ ok: false, message: 'The home agent does not offer codex — offered: shell.' });
    expect(backendArg('codex', [])).toEqual({ ok: false, message: 'The home agent does not offer codex — offered: none.' });
  });
});

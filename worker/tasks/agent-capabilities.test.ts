import { describe, expect, it } from 'vitest';
import type { AgentCapabilities } from '../../protocol/index.ts';
import { offers, parseCapabilities } from './agent-capabilities.ts';

const caps: AgentCapabilities = { workspaces: ['repo', 'notes'], backends: ['shell'], maxConcurrent: 1 };
const empty: AgentCapabilities = { workspaces: [], backends: [], maxConcurrent: 1 };

describe('offers', () => {
  it.each<[string, AgentCapabilities | null, string, string, boolean]>([
    ['workspace and backend advertised', caps, 'repo', 'shell', true],
    ['backend not advertised', caps, 'repo', 'claude', false],
    ['workspace not advertised', caps, 'elsewhere', 'shell', false],
    ['nothing advertised yet', null, 'repo', 'shell', false],
    ['empty lists', empty, 'repo', 'shell', false],
  ])('%s', (_name, c, workspace, backend, expected) => {
    expect(offers(c, { workspace, backend })).toBe(expected);
  });
});

describe('parseCapabilities', () => {
  it('parses stored JSON and treats missing or invalid JSON as offering nothing', () => {
    expect(parseCapabilities(JSON.stringify(caps))).toEqual(caps);
    expect(parseCapabilities(null)).toBeNull();
    expect(parseCapabilities('{nope')).toBeNull();
    expect(parseCapabilities(JSON.stringify({ ...caps, backends: ['vim'] }))).toBeNull();
  });
});

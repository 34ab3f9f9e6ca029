// Binds an approval to the exact tool call (DESIGN.md rule 7): hex SHA-256 of the canonical JSON of { tool, input }.
// Pure apart from node:crypto; canonical = object keys sorted at every depth, no whitespace.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted recursively (arrays keep their order); `undefined` members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The 64-hex-digit SHA-256 of canonicalJson({ tool, input }). */
export function inputHash(tool: string, input: unknown): string {
  return createHash('sha256').update(canonicalJson({ tool, input }), 'utf8').digest('hex');
}

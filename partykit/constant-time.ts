// Constant-time comparison of secrets (the notify bearer). Pure; never short-circuits on the first difference.

/**
 * True when `a` and `b` are the same string. Time depends only on the lengths, not on where they differ; a
 * length mismatch still walks `a` so a short guess is not noticeably faster.
 */
export function timingSafeEqualText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const other = x.length === y.length ? y : x;
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (other[i] ?? 0);
  return diff === 0;
}

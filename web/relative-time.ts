// "3 min ago" labels for task times. Pure: the current time is an argument.

const UNITS: ReadonlyArray<[limitMs: number, unitMs: number, label: string]> = [
  [60_000, 1_000, 's'],
  [3_600_000, 60_000, 'min'],
  [86_400_000, 3_600_000, 'h'],
  [7 * 86_400_000, 86_400_000, 'd'],
];

/**
 * A short label for how long ago `thenMs` was, relative to `nowMs` (both epoch ms): "just now", "42 s ago",
 * "5 min ago", "3 h ago", "2 d ago", then the calendar date (YYYY-MM-DD, UTC). Future times read "just now".
 */
export function relativeTime(thenMs: number, nowMs: number): string {
  const age = nowMs - thenMs;
  if (age < 5_000) return 'just now';
  for (const [limit, unit, label] of UNITS) {
    if (age < limit) return `${Math.floor(age / unit)} ${label} ago`;
  }
  return new Date(thenMs).toISOString().slice(0, 10);
}

/** A duration in ms as "1 h 2 min", "3 min 4 s" or "5 s" (the two largest units). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

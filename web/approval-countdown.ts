// How much time an approval has left, as a short label and an urgency level. Pure: the current time is an argument.

/** `calm` ≥ 5 min left, `soon` under 5 min, `urgent` under 1 min (shown red), `expired` at or past the deadline. */
export type Urgency = 'calm' | 'soon' | 'urgent' | 'expired';

export type Countdown = { text: string; urgency: Urgency };

/**
 * The label for an approval due at `deadlineAt`, seen at `nowMs` (both epoch ms): "2 h 5 min left",
 * "29 min left", "45 s left", then "Expired". Seconds round up and minutes down, so the label never promises
 * more time than is left and "1 s left" is the last label before "Expired".
 */
export function countdown(deadlineAt: number, nowMs: number): Countdown {
  const seconds = Math.ceil((deadlineAt - nowMs) / 1000);
  if (seconds <= 0) return { text: 'Expired', urgency: 'expired' };
  if (seconds < 60) return { text: `${seconds} s left`, urgency: 'urgent' };
  const minutes = Math.floor(seconds / 60);
  const urgency: Urgency = minutes < 5 ? 'soon' : 'calm';
  if (minutes < 60) return { text: `${minutes} min left`, urgency };
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return { text: rest > 0 ? `${hours} h ${rest} min left` : `${hours} h left`, urgency };
}

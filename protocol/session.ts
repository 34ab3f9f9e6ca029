// Phone sessions as the owner sees them (GET /api/sessions) and the lifetimes the Worker enforces.
import { z } from 'zod';

/** Absolute session lifetime from sign-in, ms (30 days). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session unused for this long is over, ms (7 days). */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * One live session (not revoked, not past either expiry). Times are epoch ms; `lastUsedAt` is kept to the minute;
 * `idleExpiresAt` = lastUsedAt + SESSION_IDLE_MS, `expiresAt` the absolute end; `ip` and `userAgent` as seen at
 * sign-in; `credentialId` the passkey it signed in with; `current` marks the caller's own session.
 */
export const SessionView = z.object({
  id: z.uuid(),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int(),
  expiresAt: z.number().int(),
  idleExpiresAt: z.number().int(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  credentialId: z.string().nullable(),
  passkeyVerifiedAt: z.number().int().nullable(),
  current: z.boolean(),
});
export type SessionView = z.infer<typeof SessionView>;

/** GET /api/sessions: newest first. */
export const SessionList = z.object({ sessions: z.array(SessionView) });
export type SessionList = z.infer<typeof SessionList>;

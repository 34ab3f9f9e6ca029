// Phone sign-in, sessions and room tickets.
import { z } from 'zod';
import { OwnerId } from './ids.ts';
import { Role } from './room.ts';

/** POST /api/auth/sign-in: redeem a one-time sign-in link token (from the URL fragment, never the query). */
export const SignInRequest = z.strictObject({ token: z.string().min(32).max(128) });
export type SignInRequest = z.infer<typeof SignInRequest>;

/** POST /api/setup/sign-in-link (Authorization: Bearer SETUP_SECRET): mint a one-time link for an owner. */
export const SignInLinkRequest = z.strictObject({ owner: z.string().min(1).max(64) });
export const SignInLinkResponse = z.object({ url: z.url(), expiresAt: z.number().int(), ownerId: OwnerId });
export type SignInLinkResponse = z.infer<typeof SignInLinkResponse>;

/** GET /api/me */
export const Me = z.object({ ownerId: OwnerId, name: z.string() });
export type Me = z.infer<typeof Me>;

/** Lifetime of a room ticket, in seconds. */
export const TICKET_TTL_SECONDS = 60;

/**
 * The signed claims inside a room ticket (`<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`, keyed with
 * ROOM_SECRET). `sub` is the owner (= room id); `sid` the session or device it was issued to; `jti` makes it
 * single-use; `exp` is epoch seconds.
 */
export const TicketClaims = z.object({
  sub: OwnerId,
  role: Role,
  sid: z.string().min(1).max(64),
  jti: z.string().min(16).max(64),
  exp: z.number().int(),
});
export type TicketClaims = z.infer<typeof TicketClaims>;

/** POST /api/room-ticket (phone session or agent bearer token). Connect to `wss?://host/parties/main/<room>?ticket=`. */
export const RoomTicketResponse = z.object({
  ticket: z.string(),
  room: OwnerId,
  host: z.string(),
  expiresAt: z.number().int(),
});
export type RoomTicketResponse = z.infer<typeof RoomTicketResponse>;

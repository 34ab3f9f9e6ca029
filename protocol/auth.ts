// Phone sign-in, sessions and room tickets. Passkey ceremonies are in passkey.ts, session views in session.ts.
import { z } from 'zod';
import { OwnerId } from './ids.ts';
import { Role } from './room.ts';

/**
 * POST /api/setup/link (Authorization: Bearer SETUP_SECRET): mint a one-time setup link for an owner (created on
 * first use). Opening it lets its holder register a passkey for that owner — the first one, or another.
 */
export const SetupLinkRequest = z.strictObject({ owner: z.string().min(1).max(64) });
export type SetupLinkRequest = z.infer<typeof SetupLinkRequest>;
/** `url` is `<origin>/#setup=<token>` (the token in the fragment, never sent in a request line); `expiresAt` epoch ms. */
export const SetupLinkResponse = z.object({ url: z.url(), expiresAt: z.number().int(), ownerId: OwnerId });
export type SetupLinkResponse = z.infer<typeof SetupLinkResponse>;

/** The secret of a setup link (256 bits, base64url), as found in its `#setup=` fragment. */
export const SetupToken = z.string().min(32).max(128).regex(/^[A-Za-z0-9_-]+$/);

/** GET /api/me (and the answer to a sign-in). */
export const Me = z.object({ ownerId: OwnerId, name: z.string() });
export type Me = z.infer<typeof Me>;

/** Lifetime of a room ticket, in seconds. */
export const TICKET_TTL_SECONDS = 60;

/** A page origin as browsers send it in `Origin`: `scheme://host[:port]`, nothing after. */
export const PageOrigin = z.string().max(256).regex(/^https?:\/\/[^/?#\s]+$/, 'must be scheme://host[:port]');

const ticketCommon = {
  sub: OwnerId,
  sid: z.string().min(1).max(64),
  jti: z.string().min(16).max(64),
  exp: z.number().int(),
};

/**
 * The signed claims inside a room ticket (`<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`, keyed with
 * TICKET_SECRET). `sub` is the owner (= room id); `sid` the session (phone) or device (agent) it was issued to, so
 * revoking that session or device closes its sockets; `jti` makes it single-use; `exp` is epoch seconds.
 * A phone ticket carries the `origin` of the page that asked for it, and the room accepts it only from a WebSocket
 * upgrade with that same `Origin`; an agent ticket carries none and is accepted only without an `Origin` header
 * (browsers always send one, so a stolen agent ticket is useless in a page).
 */
export const TicketClaims = z.discriminatedUnion('role', [
  z.object({ ...ticketCommon, role: z.literal('phone'), origin: PageOrigin }),
  z.object({ ...ticketCommon, role: z.literal('agent') }),
]);
export type TicketClaims = z.infer<typeof TicketClaims>;

/** POST /api/room-ticket (phone session or agent bearer token). Connect to `wss?://host/parties/main/<room>?ticket=`. */
export const RoomTicketResponse = z.object({
  ticket: z.string(),
  room: OwnerId,
  host: z.string(),
  expiresAt: z.number().int(),
});
export type RoomTicketResponse = z.infer<typeof RoomTicketResponse>;

// OAuth 2.0 Device Authorization Grant (RFC 8628) bodies for pairing a home agent.
// Field and error names are the RFC's own (snake_case), not the house kebab-case codes.
import { z } from 'zod';
import { DeviceId } from './ids.ts';

export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8628 §3.1: POST /api/device/code */
export const DeviceAuthorizationRequest = z.strictObject({
  client_id: z.literal('hearth-agent'),
  /** A label for the device shown on the phone, e.g. the hostname. */
  device_name: z.string().min(1).max(64).optional(),
});
export type DeviceAuthorizationRequest = z.infer<typeof DeviceAuthorizationRequest>;

/** RFC 8628 §3.2. `expires_in` and `interval` are seconds. */
export const DeviceAuthorizationResponse = z.object({
  device_code: z.string().min(32).max(128),
  user_code: z.string().min(8).max(16),
  verification_uri: z.url(),
  verification_uri_complete: z.url().optional(),
  expires_in: z.number().int().positive(),
  interval: z.number().int().positive(),
});
export type DeviceAuthorizationResponse = z.infer<typeof DeviceAuthorizationResponse>;

/** RFC 8628 §3.4: POST /api/device/token */
export const DeviceTokenRequest = z.strictObject({
  grant_type: z.literal(DEVICE_CODE_GRANT_TYPE),
  device_code: z.string().min(1).max(128),
  client_id: z.literal('hearth-agent'),
});
export type DeviceTokenRequest = z.infer<typeof DeviceTokenRequest>;

/** RFC 6749 §5.1 success: the bearer token the agent keeps in its 0600 token file. */
export const DeviceTokenResponse = z.object({
  access_token: z.string().min(32),
  token_type: z.literal('Bearer'),
  device_id: DeviceId,
});
export type DeviceTokenResponse = z.infer<typeof DeviceTokenResponse>;

/** RFC 8628 §3.5 and RFC 6749 §5.2 error codes from the token endpoint (HTTP 400). */
export const DeviceTokenErrorCode = z.enum([
  'authorization_pending',
  'slow_down',
  'expired_token',
  'access_denied',
  'invalid_grant',
  'invalid_request',
  'invalid_client',
  'unsupported_grant_type',
]);
export const DeviceTokenError = z.object({ error: DeviceTokenErrorCode, error_description: z.string().optional() });
export type DeviceTokenError = z.infer<typeof DeviceTokenError>;

/** User codes: 8 characters from an unambiguous 20-letter alphabet, shown as XXXX-XXXX (RFC 8628 §6.1). */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const UserCode = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[^A-Z]/g, ''))
  .pipe(z.string().length(8).regex(new RegExp(`^[${USER_CODE_ALPHABET}]{8}$`), 'not a valid code'));

/** POST /api/device/approve and /api/device/deny (phone session): the owner answers a user_code. */
export const DeviceDecisionRequest = z.strictObject({ user_code: UserCode });
export type DeviceDecisionRequest = z.infer<typeof DeviceDecisionRequest>;

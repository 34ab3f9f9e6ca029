// Who the WebAuthn relying party is for a request: the origin a ceremony must have run on and the rpId its
// credentials are scoped to. Pure; rpId is the host serving the app (issue 4) unless the config overrides it.
import type { Config } from '../env.ts';

/** The app's name as authenticators show it next to the owner's name. */
export const RP_NAME = 'Hearth';

export type RelyingParty = {
  /** `scheme://host[:port]`: what clientDataJSON.origin must equal. */
  origin: string;
  /** A host name: what the authenticator data's rpIdHash must be the SHA-256 of. */
  rpId: string;
};

/**
 * The relying party for a request to `requestUrl`: APP_ORIGIN when set, else the request's own origin; RP_ID when
 * set, else that origin's hostname. Browsers refuse IP addresses as rpId, so open the app at `localhost`, not
 * 127.0.0.1, for passkeys in local dev.
 */
export function relyingParty(config: Pick<Config, 'appOrigin' | 'rpId'>, requestUrl: string): RelyingParty {
  const origin = config.appOrigin ?? new URL(requestUrl).origin;
  return { origin, rpId: config.rpId ?? new URL(origin).hostname };
}

// What to tell the owner when a passkey prompt fails. Pure: maps the DOMException names WebAuthn rejects with
// (as @simplewebauthn/browser passes them on) to a sentence; anything else is left to describeError.

/** The error's DOMException-style name, when it has one (WebAuthnError keeps it in `name`). */
const nameOf = (error: unknown): string | null => (error instanceof Error ? error.name : null);

/** A sentence for a failed WebAuthn prompt, or null when `error` did not come from the prompt. */
export function describePasskeyError(error: unknown): string | null {
  switch (nameOf(error)) {
    case 'NotAllowedError':
    case 'AbortError':
      return 'The passkey prompt was closed or timed out. Try again.';
    case 'InvalidStateError':
      return 'This device already has a passkey for Hearth: sign in with it instead.';
    case 'SecurityError':
      return 'Passkeys work only over https or on localhost (not an IP address like 127.0.0.1).';
    case 'NotSupportedError':
      return 'This browser cannot create a passkey Hearth accepts.';
    default:
      return null;
  }
}

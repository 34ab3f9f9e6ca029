import { describe, expect, it } from 'vitest';
import { defaultPasskeyName } from './passkey-name.ts';

describe('defaultPasskeyName', () => {
  it.each<[string | null, string]>([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15', 'iPhone passkey'],
    ['Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 Chrome/131.0 Mobile', 'Android passkey'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15', 'Mac passkey'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0', 'Windows passkey'],
    ['Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0', 'Linux passkey'],
    ['node', 'Passkey'],
    [null, 'Passkey'],
  ])('%s → %s', (ua, name) => expect(defaultPasskeyName(ua)).toBe(name));
});

// A default label for a new passkey when the phone sends none: the platform named by its user agent. Pure.

const PLATFORMS: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/CrOS/, 'Chromebook'],
  [/Mac OS X|Macintosh/, 'Mac'],
  [/Windows/, 'Windows'],
  [/Linux/, 'Linux'],
];

/** "<platform> passkey" from a User-Agent header ("Passkey" when it names none we know). */
export function defaultPasskeyName(userAgent: string | null): string {
  const platform = PLATFORMS.find(([pattern]) => pattern.test(userAgent ?? ''))?.[1];
  return platform ? `${platform} passkey` : 'Passkey';
}

// The pure part of dictation: a SpeechRecognition result list read as final and interim text, the transcript put
// into a text box's value at the caret, and what each recognition error tells the owner. No DOM, no speech API.

/** The shape of SpeechRecognitionResultList as the Web Speech API gives it (W3C Web Speech API §5.1). */
export type SpeechResults = {
  readonly length: number;
  readonly [index: number]: { readonly isFinal: boolean; readonly length: number; readonly [index: number]: { readonly transcript: string } };
};

/**
 * The text of one listening session: the best alternative of every result, final ones and the interim tail, joined
 * as the recogniser spaced them. Results are cumulative within a session (`event.results` holds them all).
 */
export function transcriptOf(results: SpeechResults): { final: string; interim: string } {
  let final = '';
  let interim = '';
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    const best = result && result.length > 0 ? (result[0]?.transcript ?? '') : '';
    if (result?.isFinal) final += best;
    else interim += best;
  }
  return { final, interim };
}

/**
 * Put `text` into `value` in place of `[start, end)` (the selection, or the caret when equal), with a space before it
 * when it would touch the word in front and after it when it would touch the word behind. Returns the new value and
 * the range the inserted text took (to replace it again while interim results refine it).
 */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; start: number; end: number } {
  const before = value.slice(0, start);
  const after = value.slice(end);
  const trimmed = text.trim();
  if (trimmed === '') return { value: before + after, start, end: start };
  const lead = before !== '' && !/\s$/.test(before) ? ' ' : '';
  const tail = after !== '' && !/^\s/.test(after) ? ' ' : '';
  const inserted = lead + trimmed + tail;
  return { value: before + inserted + after, start, end: start + inserted.length };
}

/** What to show for a SpeechRecognitionErrorEvent.error code (§5.2.1); unknown codes are named as they came. */
export function speechErrorMessage(code: string): string {
  switch (code) {
    case 'not-allowed':
    case 'service-not-allowed':
      return 'Dictation is not allowed: let this site use the microphone.';
    case 'no-speech':
      return 'No speech heard. Tap the microphone and speak.';
    case 'network':
      return 'Dictation needs the network (the speech service could not be reached).';
    case 'audio-capture':
      return 'No microphone found.';
    case 'language-not-supported':
      return 'Dictation does not support this language.';
    case 'aborted':
      return '';
    default:
      return `Dictation failed (${code}).`;
  }
}

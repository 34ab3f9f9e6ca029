// Dictation into a text box with the browser's SpeechRecognition (webkitSpeechRecognition on Safari and Chrome): a
// mic button shown only where the API exists; a tap listens (interim results, the page's language), the words go in
// at the caret as they are recognised, a second tap stops. Where the API is missing the button stays hidden.
import { insertAt, speechErrorMessage, transcriptOf, type SpeechResults } from './voice-text.ts';

/** The part of the Web Speech API's SpeechRecognition used here (W3C Web Speech API §5.1). */
type Recognition = {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  onresult: ((event: { readonly results: SpeechResults }) => void) | null;
  onerror: ((event: { readonly error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
};
type RecognitionConstructor = new () => Recognition;

/** TypeScript's DOM library has no SpeechRecognition: a constructor found on the window is taken to be one. */
const isConstructor = (value: unknown): value is RecognitionConstructor => typeof value === 'function';

/** The page's SpeechRecognition constructor (standard name first), or null where the browser has none. */
export function speechRecognitionOf(win: Window): RecognitionConstructor | null {
  for (const name of ['SpeechRecognition', 'webkitSpeechRecognition']) {
    const value: unknown = Reflect.get(win, name);
    if (isConstructor(value)) return value;
  }
  return null;
}

/** How long a dictation error stays under the box, in ms. */
const ERROR_SHOWN_MS = 6_000;

/**
 * Wire `button` to dictate into `input`. `say` shows a line under the box ('' clears it). Each change to the box fires
 * an `input` event, as typing would, so the box's other listeners (size, Send, the slash palette) follow.
 */
export function mountVoiceInput(deps: { button: HTMLButtonElement; input: HTMLTextAreaElement; win: Window; say(message: string): void }): void {
  const { button, input, win } = deps;
  const Recognition = speechRecognitionOf(win);
  button.hidden = Recognition === null;
  if (!Recognition) return;
  let listening: Recognition | null = null;
  /** Where this session's words sit in the box: replaced as interim results refine. */
  let range = { start: 0, end: 0 };
  let errorTimer: number | undefined;

  const draw = (): void => {
    const on = listening !== null;
    button.setAttribute('aria-pressed', String(on));
    button.setAttribute('aria-label', on ? 'Stop dictation' : 'Start dictation');
    button.dataset['listening'] = String(on);
  };
  const fail = (message: string): void => {
    if (!message) return;
    deps.say(message);
    win.clearTimeout(errorTimer);
    errorTimer = win.setTimeout(() => deps.say(''), ERROR_SHOWN_MS);
  };

  const start = (): void => {
    const recognition = new Recognition();
    recognition.lang = win.navigator.language;
    recognition.interimResults = true;
    recognition.continuous = false;
    range = { start: input.selectionStart, end: input.selectionEnd };
    recognition.onresult = (event) => {
      if (listening !== recognition) return;
      const { final, interim } = transcriptOf(event.results);
      const next = insertAt(input.value, range.start, range.end, final + interim);
      input.value = next.value;
      range = { start: next.start, end: next.end };
      input.setSelectionRange(next.end, next.end);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    recognition.onerror = (event) => fail(speechErrorMessage(event.error));
    recognition.onend = () => {
      if (listening !== recognition) return;
      listening = null;
      draw();
    };
    try {
      recognition.start();
    } catch (error) {
      return fail(`Dictation could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    listening = recognition;
    deps.say('');
    draw();
  };

  button.addEventListener('click', () => {
    if (listening) listening.stop();
    else start();
  });
  draw();
}

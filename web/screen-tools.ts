// The pane's two tools: "Fit 80 columns" (small type, rows as the terminal has them) versus the default readable
// wrap, remembered on this phone; and "Copy", which puts the pane's text on the clipboard. Owns no screen state.
import { showMessage } from './element.ts';

/** The localStorage key of the chosen pane layout: 'fit' or 'wrap'. */
export const SCREEN_FIT_KEY = 'hearth.screen.fit';

export type ScreenToolsDeps = {
  screen: HTMLPreElement;
  fit: HTMLButtonElement;
  copy: HTMLButtonElement;
  /** Where "Copied" (or why not) is said for a moment. */
  status: HTMLElement;
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  /** navigator.clipboard.writeText where the page may use it (secure context), else undefined. */
  writeText?: (text: string) => Promise<void>;
  setTimeout: (fn: () => void, ms: number) => unknown;
};

/** Wire the two buttons. The fit choice applies at once and survives a reload (localStorage). */
export function mountScreenTools(deps: ScreenToolsDeps): void {
  const apply = (fit: boolean): void => {
    deps.screen.dataset['fit'] = String(fit);
    deps.fit.setAttribute('aria-pressed', String(fit));
  };
  apply(deps.storage.getItem(SCREEN_FIT_KEY) === 'fit');
  deps.fit.addEventListener('click', () => {
    const fit = deps.screen.dataset['fit'] !== 'true';
    apply(fit);
    deps.storage.setItem(SCREEN_FIT_KEY, fit ? 'fit' : 'wrap');
  });

  const say = (message: string): void => {
    showMessage(deps.status, message);
    deps.setTimeout(() => showMessage(deps.status, ''), 2_500);
  };
  const writeText = deps.writeText;
  if (!writeText) {
    // Without the async clipboard the text can still be selected and copied by hand (user-select stays on).
    deps.copy.hidden = true;
    return;
  }
  deps.copy.addEventListener('click', () => {
    writeText(deps.screen.textContent ?? '').then(
      () => say('Copied the screen'),
      () => say('Could not copy: select the text instead'),
    );
  });
}

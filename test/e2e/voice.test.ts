// Dictation in the composer, end to end in headless Chromium at a phone viewport with touch, on the real stack with the
// shell backend. The speech service cannot be reached from here, so (a) an init script installs a SpeechRecognition
// stand-in that implements the real interface (start/stop/abort, result events with a SpeechRecognitionResultList-
// shaped `results`, error and end events, the on* handlers) and is scripted by the test: the mic inserts the words at
// the caret, shows that it listens, and shows each error briefly. (b) With both constructors deleted, the mic is absent
// and composing and running a task still work.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '../support/browser.ts';
import { openPhonePage, signedInPhonePage, type PhonePage } from '../support/phone-page.ts';

/** Runs in the page before the app: a scriptable SpeechRecognition under both names. */
function installSpeechStandIn(): void {
  type Plan = { interim?: string[]; final?: string; error?: string };
  type Result = { transcript: string; isFinal: boolean };
  const speech = { plan: {} as Plan, started: [] as Array<{ lang: string; interimResults: boolean }>, stopped: 0 };
  Object.defineProperty(window, '__speech', { value: speech });
  /** A SpeechRecognitionResultList: results by index and item(), each a list of alternatives with isFinal. */
  const resultList = (results: Result[]) => {
    const list = results.map((r) => {
      const alternatives = [{ transcript: r.transcript, confidence: 0.9 }];
      return Object.assign(alternatives, { isFinal: r.isFinal, item: (i: number) => alternatives[i] });
    });
    return Object.assign(list, { item: (i: number) => list[i] });
  };
  class SpeechRecognitionStandIn extends EventTarget {
    lang = '';
    interimResults = false;
    continuous = false;
    maxAlternatives = 1;
    onresult: ((event: Event) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    onend: ((event: Event) => void) | null = null;
    onstart: ((event: Event) => void) | null = null;
    running = false;
    emit(type: 'result' | 'error' | 'end' | 'start', extra: Record<string, unknown> = {}): void {
      const event = Object.assign(new Event(type), extra);
      this.dispatchEvent(event);
      const handler = { result: this.onresult, error: this.onerror, end: this.onend, start: this.onstart }[type];
      handler?.call(this, event);
    }
    start(): void {
      if (this.running) throw new DOMException('recognition has already started', 'InvalidStateError');
      this.running = true;
      speech.started.push({ lang: this.lang, interimResults: this.interimResults });
      const plan = speech.plan;
      setTimeout(() => {
        this.emit('start');
        if (plan.error) {
          this.emit('error', { error: plan.error, message: '' });
          return this.end();
        }
        let spoken = '';
        for (const words of plan.interim ?? []) {
          spoken = words;
          this.emit('result', { resultIndex: 0, results: resultList([{ transcript: spoken, isFinal: false }]) });
        }
      }, 50);
    }
    stop(): void {
      speech.stopped += 1;
      if (!this.running) return;
      const final = speech.plan.final;
      if (final !== undefined) this.emit('result', { resultIndex: 0, results: resultList([{ transcript: final, isFinal: true }]) });
      this.end();
    }
    abort(): void {
      if (this.running) this.end();
    }
    end(): void {
      this.running = false;
      this.emit('end');
    }
  }
  Object.defineProperty(window, 'SpeechRecognition', { value: SpeechRecognitionStandIn, configurable: true, writable: true });
  Object.defineProperty(window, 'webkitSpeechRecognition', { value: SpeechRecognitionStandIn, configurable: true, writable: true });
}

/** The stack and a signed-in phone whose context runs the speech stand-in before the app. */
let phone: PhonePage;

beforeAll(async () => {
  phone = await openPhonePage({ beforeSignIn: ({ context }) => context.addInitScript(installSpeechStandIn) });
  await phone.page.selectOption('#backend', 'shell');
});

afterAll(async () => {
  await phone?.stop();
});

describe('where SpeechRecognition exists', () => {
  let page: Page;
  beforeAll(() => {
    ({ page } = phone);
  });

  /** What the stand-in does on the next start(): interim results, the final one on stop(), or an error. */
  const plan = (value: { interim?: string[]; final?: string; error?: string }) =>
    page.evaluate((p) => {
      Reflect.get(window, '__speech').plan = p;
    }, value);

  test('tapping the mic listens and puts the words in at the caret; a second tap stops', async () => {
    const mic = page.getByRole('button', { name: 'Start dictation' });
    expect(await mic.count()).toBe(1);
    expect(await page.isVisible('#prompt-mic')).toBe(true);
    expect(await page.getAttribute('#prompt-mic', 'aria-pressed')).toBe('false');
    await page.fill('#prompt', 'echo  done');
    await page.evaluate(() => document.querySelector<HTMLTextAreaElement>('#prompt')?.setSelectionRange(5, 5));
    await plan({ interim: ['hello', 'hello wor'], final: 'hello world' });

    await mic.tap();
    await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('#prompt')?.value === 'echo hello wor done');
    expect(await page.getAttribute('#prompt-mic', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('#prompt-mic', 'aria-label')).toBe('Stop dictation');
    expect(await page.evaluate(() => Reflect.get(window, '__speech').started)).toEqual([{ lang: 'en-US', interimResults: true }]);
    await page.screenshot({ path: screenshotPath('voice-listening') });

    await page.getByRole('button', { name: 'Stop dictation' }).tap();
    await page.waitForFunction(() => document.querySelector('#prompt-mic')?.getAttribute('aria-pressed') === 'false');
    expect(await page.inputValue('#prompt')).toBe('echo hello world done');
    expect(await page.getAttribute('#prompt-mic', 'aria-label')).toBe('Start dictation');
    expect(await page.textContent('#prompt-bytes')).toBe('21 B / 64 KiB'); // the box's own input handling saw it

    // The dictated prompt runs as typed.
    await page.tap('#run');
    await page.waitForSelector('#task-status[data-status="succeeded"]', { timeout: 60_000 });
    await page.waitForFunction(() => /hello world done/.test(document.querySelector('#screen')?.textContent ?? ''));
  });

  test.each([
    ['not-allowed', 'Dictation is not allowed: let this site use the microphone.'],
    ['no-speech', 'No speech heard. Tap the microphone and speak.'],
    ['network', 'Dictation needs the network (the speech service could not be reached).'],
  ])('a %s error is shown under the box, briefly, and the mic is ready again', async (error, message) => {
    await page.fill('#prompt', 'unchanged');
    await plan({ error });
    await page.getByRole('button', { name: 'Start dictation' }).tap();
    await page.waitForFunction((m) => document.querySelector('#composer-status')?.textContent === m, message);
    expect(await page.isVisible('#composer-status')).toBe(true);
    await page.waitForFunction(() => document.querySelector('#prompt-mic')?.getAttribute('aria-pressed') === 'false');
    expect(await page.inputValue('#prompt')).toBe('unchanged');
    if (error === 'not-allowed') await page.screenshot({ path: screenshotPath('voice-error') });
    await page.waitForSelector('#composer-status', { state: 'hidden', timeout: 15_000 }); // it goes by itself
  });
});

describe('where SpeechRecognition does not exist', () => {
  test('no mic button anywhere, and composing and running a task still work', async () => {
    const { page } = await signedInPhonePage(phone.stack, phone.browser, {
      beforeSignIn: ({ context }) =>
        context.addInitScript(() => {
          Reflect.deleteProperty(window, 'SpeechRecognition');
          Reflect.deleteProperty(window, 'webkitSpeechRecognition');
        }),
    });
    await page.selectOption('#backend', 'shell');
    expect(await page.evaluate(() => 'SpeechRecognition' in window || 'webkitSpeechRecognition' in window)).toBe(false);
    expect(await page.isHidden('#prompt-mic')).toBe(true);
    expect(await page.locator('#follow-up-mic').getAttribute('hidden')).not.toBeNull();
    expect(await page.getByRole('button', { name: /dictation/ }).count()).toBe(0);
    await page.fill('#prompt', 'echo voice-free-ok');
    await page.tap('#run');
    await page.waitForSelector('#task-status[data-status="succeeded"]', { timeout: 60_000 });
    await page.waitForFunction(() => /voice-free-ok/.test(document.querySelector('#screen')?.textContent ?? ''));
    await page.screenshot({ path: screenshotPath('voice-absent') });
  });
});

// Dictation's pure part: result lists read as text, the transcript put in at the caret, and error messages.
import { describe, expect, it } from 'vitest';
import { insertAt, speechErrorMessage, transcriptOf, type SpeechResults } from './voice-text.ts';

/** A SpeechRecognitionResultList-shaped value: [transcript, isFinal] per result. */
const results = (...items: Array<[string, boolean]>): SpeechResults =>
  Object.assign(
    items.map(([transcript, isFinal]) => Object.assign([{ transcript }], { isFinal })),
    { length: items.length },
  );

describe('transcriptOf', () => {
  it('joins final results and keeps the interim tail apart', () => {
    expect(transcriptOf(results(['run the', true], [' tests', true], [' and', false]))).toEqual({ final: 'run the tests', interim: ' and' });
    expect(transcriptOf(results())).toEqual({ final: '', interim: '' });
  });
});

describe('insertAt', () => {
  it('inserts at the caret with a space on each side where it would touch a word', () => {
    expect(insertAt('fix  please', 4, 4, 'the tests')).toEqual({ value: 'fix the tests please', start: 4, end: 13 });
    expect(insertAt('fix', 3, 3, 'it')).toEqual({ value: 'fix it', start: 3, end: 6 });
    expect(insertAt('', 0, 0, ' hello ')).toEqual({ value: 'hello', start: 0, end: 5 });
    expect(insertAt('ab', 1, 1, 'x')).toEqual({ value: 'a x b', start: 1, end: 4 });
  });

  it('replaces the selection, and its own earlier insert as interim text refines', () => {
    expect(insertAt('say WORD now', 4, 8, 'hello')).toEqual({ value: 'say hello now', start: 4, end: 9 });
    const first = insertAt('fix', 3, 3, 'the');
    expect(insertAt(first.value, first.start, first.end, 'the tests')).toEqual({ value: 'fix the tests', start: 3, end: 13 });
    expect(insertAt(first.value, first.start, first.end, '')).toEqual({ value: 'fix', start: 3, end: 3 });
  });
});

describe('speechErrorMessage', () => {
  it('explains the errors the owner can act on, stays quiet on an abort, and names the rest', () => {
    expect(speechErrorMessage('not-allowed')).toMatch(/microphone/);
    expect(speechErrorMessage('no-speech')).toMatch(/No speech/);
    expect(speechErrorMessage('network')).toMatch(/network/);
    expect(speechErrorMessage('aborted')).toBe('');
    expect(speechErrorMessage('bad-grammar')).toBe('Dictation failed (bad-grammar).');
  });
});

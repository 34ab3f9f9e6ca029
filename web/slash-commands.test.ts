// How typed text is read as a slash command (or not), and what the palette lists as a command is typed.
import { describe, expect, it } from 'vitest';
import { argFor, classify, paletteFor, SLASH_COMMANDS, unknownMessage, type SlashPlace } from './slash-commands.ts';

const names = (text: string, place: SlashPlace = 'composer') => paletteFor(text, place)?.commands.map((c) => c.name);
const read = (text: string, place: SlashPlace = 'composer') => {
  const input = classify(text, place);
  if (input.kind === 'command') return `${input.command.name}(${input.arg})`;
  return input.kind === 'unknown' ? `unknown ${input.word}` : 'text';
};

describe('classify', () => {
  it.each([
    ['/help', 'help()'],
    ['  /new  ', 'new()'],
    ['/Abort', 'abort()'],
    ['/model gpt-5', 'model(gpt-5)'],
    ['/model   opus  ', 'model(opus)'],
    ['/model', 'model()'],
    ['/switch shell', 'switch(shell)'],
    ['/resume', 'resume()'],
    ['/model two words', 'model(two words)'],
    ['/foo', 'unknown /foo'],
    ['/etc/hosts is wrong, fix it', 'text'],
    ['/tmp', 'unknown /tmp'],
    ['/help me fix the build', 'text'],
    ['/foo bar', 'text'],
    ['/model gpt-5\nand more', 'text'],
    ['fix /help', 'text'],
    ['/', 'text'],
    ['', 'text'],
  ])('composer: %j → %s', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it('in a session’s box only the commands that apply there are Hearth’s; the rest go to the CLI as text', () => {
    expect(read('/help', 'follow-up')).toBe('help()');
    expect(read('/resume', 'follow-up')).toBe('resume()');
    expect(read('/model opus', 'follow-up')).toBe('text');
    expect(read('/switch shell', 'follow-up')).toBe('text');
    expect(read('/compact', 'follow-up')).toBe('text');
  });
});

describe('paletteFor', () => {
  it('lists all six for a lone slash in the composer, four in a session’s box', () => {
    expect(names('/')).toEqual(['help', 'new', 'abort', 'model', 'switch', 'resume']);
    expect(names('/', 'follow-up')).toEqual(['help', 'new', 'abort', 'resume']);
  });

  it('filters by prefix, then by what the name contains, case-insensitively', () => {
    expect(names('/mo')).toEqual(['model']);
    expect(names('/RE')).toEqual(['resume']);
    expect(names('/e')).toEqual(['help', 'new', 'model', 'resume']);
    expect(names('/sw')).toEqual(['switch']);
  });

  it('keeps the row of a command that takes an argument while it is typed, and closes for one that takes none', () => {
    expect(names('/model gp')).toEqual(['model']);
    expect(names('/switch ')).toEqual(['switch']);
    expect(paletteFor('/help me', 'composer')).toBeNull();
    expect(paletteFor('/model opus', 'follow-up')).toBeNull();
  });

  it('says so for a word no command has in the composer; stays closed in a session’s box', () => {
    expect(paletteFor('/foo', 'composer')).toEqual({ commands: [], unknown: '/foo' });
    expect(paletteFor('/foo', 'follow-up')).toBeNull();
    expect(unknownMessage('/foo')).toBe('Unknown command /foo — type /help');
  });

  it('stays closed for paths, text and a slash later in the text', () => {
    for (const text of ['/etc/hosts', 'hello', ' /help', 'fix /model', '/model x\ny', '']) expect(paletteFor(text, 'composer')).toBeNull();
  });
});

describe('argFor and the table', () => {
  it('takes the argument typed after the picked command’s own name only', () => {
    const model = SLASH_COMMANDS.find((c) => c.name === 'model')!;
    expect(argFor('/model gpt-5', model)).toBe('gpt-5');
    expect(argFor('/mo', model)).toBe('');
    expect(argFor('/MODEL  x ', model)).toBe('x');
  });

  it('gives every command a hint for its argument only when it takes one', () => {
    expect(SLASH_COMMANDS.filter((c) => c.arg !== null).map((c) => c.name)).toEqual(['model', 'switch']);
    for (const c of SLASH_COMMANDS) expect(c.help.length).toBeGreaterThan(10);
  });
});

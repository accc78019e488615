import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { joinNegativeValues, plainArgsError } from '../../src/shared/cli-args';

const options = { port: { type: 'string' }, demo: { type: 'boolean' } } as const;
const refusal = (args: string[]): string => {
  try {
    parseArgs({ args: joinNegativeValues(args, ['port']), options });
  } catch (e) {
    return plainArgsError(e, 'cmd --help');
  }
  return 'parsed';
};

describe('command-line refusals in plain words', () => {
  it('hands a negative number to the flag, so the range check can say what it takes', () => {
    expect(joinNegativeValues(['--port', '-5', '--demo'], ['port'])).toEqual(['--port=-5', '--demo']);
    expect(joinNegativeValues(['--port', '-.5'], ['port'])).toEqual(['--port=-.5']);
    expect(joinNegativeValues(['--demo', '-5'], ['port'])).toEqual(['--demo', '-5']);
    expect(parseArgs({ args: joinNegativeValues(['--port', '-5'], ['port']), options }).values.port).toBe('-5');
  });

  it.each([
    [['--port'], '--port needs a value after it (cmd --help says which).'],
    [['--port', '--demo'], '--port needs a value after it (cmd --help says which).'],
    [['--colour'], '--colour is not an option of this command (cmd --help lists them).'],
    [['red'], '"red" is not an option: options start with -- (cmd --help lists them).'],
    [['--demo=yes'], '--demo takes no value: give it alone.'],
  ])('%j', (args, message) => {
    expect(refusal(args)).toBe(message);
  });
});

const webOptions = { backend: { type: 'string' }, 'backend-token': { type: 'string' }, 'data-dir': { type: 'string' }, kiosk: { type: 'boolean' }, demo: { type: 'boolean' } } as const;
const webRefusal = (args: string[]): string => {
  try {
    parseArgs({ args, options: webOptions });
  } catch (e) {
    return plainArgsError(e, 'cmd --help', { args, options: webOptions });
  }
  return 'parsed';
};

// Each refusal says what to type instead, from what was typed.
describe('command-line refusals that say what to do', () => {
  it.each([
    // A second address after a space: the fix is the comma.
    [['--backend', 'ws://a:1', 'ws://b:2', '--backend-token', 'T'], '"ws://b:2" is not an option: separate the addresses in --backend with commas and no spaces: --backend ws://a:1,ws://b:2'],
    [['--backend', 'ws://a:1,', 'ws://b:2', 'ws://c:3'], '"ws://b:2" is not an option: separate the addresses in --backend with commas and no spaces: --backend ws://a:1,ws://b:2,ws://c:3'],
    [['--backend=ws://a:1', 'ws://b:2'], '"ws://b:2" is not an option: separate the addresses in --backend with commas and no spaces: --backend ws://a:1,ws://b:2'],
    // A folder with a space, not in quotes.
    [['--data-dir', '/tmp/my', 'gym', '--demo'], '"gym" is not an option: if "/tmp/my gym" is one value for --data-dir, put it in quotes: --data-dir "/tmp/my gym"'],
    [['--demo', '--data-dir', 'C:\\Gym', 'Data', 'Here'], '"Data" is not an option: if "C:\\Gym Data Here" is one value for --data-dir, put it in quotes: --data-dir "C:\\Gym Data Here"'],
    // A word after a flag that takes no value follows no value: the plain rule.
    [['--demo', 'gym'], '"gym" is not an option: options start with -- (cmd --help lists them).'],
    // The nearest known flag, for a slip of a letter or two, or one cut short.
    [['--backnd', 'ws://a:1'], '--backnd is not an option of this command; did you mean --backend? (cmd --help lists them all.)'],
    [['--bakcend-token', 'T'], '--bakcend-token is not an option of this command; did you mean --backend-token? (cmd --help lists them all.)'],
    [['--kiosks'], '--kiosks is not an option of this command; did you mean --kiosk? (cmd --help lists them all.)'],
    [['--data'], '--data is not an option of this command; did you mean --data-dir? (cmd --help lists them all.)'],
    [['--colour'], '--colour is not an option of this command (cmd --help lists them).'],
    // One dash: parseArgs names only its first letter ("-d"); the refusal names the word as typed, and the flag.
    [['-data-dir', '/tmp/x', '--demo'], '"-data-dir" is not an option of this command; did you mean --data-dir? (cmd --help lists them all.)'],
    [['-backend=ws://a:1'], '"-backend" is not an option of this command; did you mean --backend? (cmd --help lists them all.)'],
    [['--demo', '-zzz'], '"-zzz" is not an option of this command: options start with -- (cmd --help lists them).'],
  ])('%j', (args, message) => {
    expect(webRefusal(args)).toBe(message);
  });
});

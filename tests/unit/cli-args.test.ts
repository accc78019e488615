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

/**
 * Command-line helpers shared by the console's commands and the reference backend, around node's parseArgs
 * (which the callers run: this file stays free of node imports).
 */

/**
 * `--port -5` reads to parseArgs as a flag with no value, followed by an unknown flag `-5`, and it refuses it with
 * advice about `--port=-XYZ`. Joined into `--port=-5`, the value reaches the caller's own range check, whose message
 * says what the flag takes.
 */
export function joinNegativeValues(argv: readonly string[], valueFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && valueFlags.includes(a.slice(2)) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** What a command takes, as given to parseArgs: its options, and the arguments it was run with. */
export interface GivenArgs {
  args: readonly string[];
  options: Readonly<Record<string, { type: 'string' | 'boolean' }>>;
}

/** parseArgs' refusal in plain words, naming the flag; `help` is how this command lists its options. */
export function plainArgsError(e: unknown, help: string, given?: GivenArgs): string {
  const { code, message } = e as { code?: string; message?: string };
  const flag = (/'([^']*)'/.exec(message ?? '')?.[1] ?? '').split(' ')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const typed = given && singleDashWord(flag ?? '', given.args);
      if (typed) {
        const near = nearestOption(typed.slice(1), Object.keys(given!.options));
        return near ? `"${typed}" is not an option of this command; did you mean --${near}? (${help} lists them all.)` : `"${typed}" is not an option of this command: options start with -- (${help} lists them).`;
      }
      const near = given && flag?.startsWith('--') ? nearestOption(flag.slice(2), Object.keys(given.options)) : null;
      return near ? `${flag} is not an option of this command; did you mean --${near}? (${help} lists them all.)` : `${flag} is not an option of this command (${help} lists them).`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return (given && strayWords(given)) ?? `"${flag}" is not an option: options start with -- (${help} lists them).`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /boolean|does not take/.test(message ?? '') ? `${flag} takes no value: give it alone.` : `${flag} needs a value after it (${help} says which).`;
    default:
      return `${message ?? String(e)} (${help} lists the options).`;
  }
}

/**
 * parseArgs reads `-data-dir` as the short flags -d -a -t …, and names only the first: the word as typed, for a
 * long flag written with one dash. Null when `short` came alone (`-x`).
 */
function singleDashWord(short: string, args: readonly string[]): string | null {
  if (!/^-[^-]$/.test(short)) return null;
  const word = args.find((a) => a.startsWith(short) && a.length > 2 && !a.startsWith('--'));
  return word ? word.split('=')[0]! : null;
}

const URL_LIKE = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * Words left over after a flag's value are most often that value cut at a space: a second address written
 * after a space instead of a comma, or a folder name with a space in it, not in quotes. Null when the first
 * stray word follows no flag's value.
 */
function strayWords({ args, options }: GivenArgs): string | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return null;
    if (!arg.startsWith('-')) return null; // a stray that follows no value
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!arg.startsWith('--') || options[name]?.type !== 'string') continue;
    const value = eq < 0 ? args[i + 1] : arg.slice(eq + 1);
    const end = eq < 0 ? i + 1 : i;
    const strays: string[] = [];
    for (let j = end + 1; j < args.length && !args[j]!.startsWith('-'); j++) strays.push(args[j]!);
    if (value === undefined || !strays.length) {
      i = end;
      continue;
    }
    const first = strays[0]!;
    if (URL_LIKE.test(value)) {
      const list = [value, ...strays].flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean).join(',');
      return `"${first}" is not an option: separate the addresses in --${name} with commas and no spaces: --${name} ${list}`;
    }
    const whole = [value, ...strays].join(' ');
    return `"${first}" is not an option: if "${whole}" is one value for --${name}, put it in quotes: --${name} "${whole}"`;
  }
  return null;
}

/** The option a mistyped one was most likely meant to be (a letter or two off, or cut short); null when none is close. */
function nearestOption(typed: string, known: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of known) {
    const d = name.startsWith(typed) && typed.length >= 3 ? 0.5 + (name.length - typed.length) / 100 : editDistance(typed, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= (typed.length <= 4 ? 1 : 2) ? best.name : null;
}

/** Letters added, removed, changed or swapped with a neighbour (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

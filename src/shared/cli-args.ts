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

/** parseArgs' refusal in plain words, naming the flag; `help` is how this command lists its options. */
export function plainArgsError(e: unknown, help: string): string {
  const { code, message } = e as { code?: string; message?: string };
  const flag = (/'([^']*)'/.exec(message ?? '')?.[1] ?? '').split(' ')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${flag} is not an option of this command (${help} lists them).`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `"${flag}" is not an option: options start with -- (${help} lists them).`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /boolean|does not take/.test(message ?? '') ? `${flag} takes no value: give it alone.` : `${flag} needs a value after it (${help} says which).`;
    default:
      return `${message ?? String(e)} (${help} lists the options).`;
  }
}

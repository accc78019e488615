// The launchers hand a token given on their command line to the child by environment, never by its argv:
// a child's command line is readable by every user of the PC (`ps`) for as long as it runs, its environment
// only by the user running it (and root).

/**
 * The host reads this as if the token were given with --backend-token (so its messages still name that flag),
 * and removes it from its own environment once read.
 */
export const HANDED_TOKEN_ENV = 'AV_GYM_HANDED_BACKEND_TOKEN';

/** A flag's value as parseArgs would take it: the next word, unless it looks like another flag (a negative number does not). */
const isValue = (word) => word !== undefined && (!word.startsWith('-') || /^-[\d.]/.test(word));

/**
 * `args` without `flag` and its value (`--flag T` and `--flag=T`; the last one given wins, as in parseArgs),
 * and the environment that carries it instead under `envName`. A flag with no value is left in place, for
 * the child to refuse in its own words; nothing after `--` is touched.
 * @param {readonly string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {{ flag: string, envName: string }} how
 * @returns {{ args: string[], env: NodeJS.ProcessEnv, handed: boolean }}
 */
export function tokenOutOfArgv(args, env, { flag, envName }) {
  const out = [];
  let token;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (a.startsWith(`${flag}=`)) token = a.slice(flag.length + 1);
    else if (a === flag && isValue(args[i + 1])) token = args[++i];
    else out.push(a);
  }
  if (token === undefined) return { args: out, env, handed: false };
  return { args: out, env: { ...env, [envName]: token }, handed: true };
}

/** One line for a token given on a command line: who can see it, for how long, and the better way (`better`: the command to use). */
export function tokenOnCommandLineWarning(flag, better) {
  return `${flag} on the command line can be read by every user of this PC (in the process list) for as long as this run lasts; better: ${better}`;
}

/** The better way to give the console its backend token, for `command` (`npm start`, `npm run web`). */
export const BACKEND_TOKEN_BETTER = (command) =>
  `GYM_BACKEND_TOKEN=TOKEN ${command} -- --backend … once (the token is saved in the data folder, so later starts need neither).`;

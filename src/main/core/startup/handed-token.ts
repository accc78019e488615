/**
 * The backend token given with --backend-token, wherever it came from. The launchers (scripts/token-handoff.mjs)
 * take it off the command line and hand it over in this variable: a command line is readable by every user of
 * the PC (`ps`) for as long as the console runs, an environment only by the user running it.
 */
export const HANDED_TOKEN_ENV = 'AV_GYM_HANDED_BACKEND_TOKEN';

export interface FlagToken {
  /** The token as if given with --backend-token (the start's messages name that flag); undefined when none. */
  token: string | undefined;
  /** A line for standard error when it sits on this process's own command line; null when not. */
  warning: string | null;
}

/** Reads the handed token and removes it from `env`, so nothing this process starts inherits it. The flag wins. */
export function flagToken(fromArgv: string | undefined, env: Record<string, string | undefined>, command: string): FlagToken {
  const handed = env[HANDED_TOKEN_ENV];
  delete env[HANDED_TOKEN_ENV];
  if (fromArgv === undefined) return { token: handed, warning: null };
  return {
    token: fromArgv,
    warning: `--backend-token on the command line can be read by every user of this PC (in the process list) for as long as this console runs; better: GYM_BACKEND_TOKEN=TOKEN ${command} -- --backend … once (the token is saved in the data folder, so later starts need neither).`,
  };
}

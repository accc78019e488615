export const HANDED_TOKEN_ENV: string;
export function tokenOutOfArgv(args: readonly string[], env: NodeJS.ProcessEnv, how: { flag: string; envName: string }): { args: string[]; env: NodeJS.ProcessEnv; handed: boolean };
export function tokenOnCommandLineWarning(flag: string, better: string): string;
export const BACKEND_TOKEN_BETTER: (command: string) => string;

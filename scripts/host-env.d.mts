export function hostEnv(env?: NodeJS.ProcessEnv, exists?: (path: string) => boolean, platform?: string): NodeJS.ProcessEnv;

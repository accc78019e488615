// The environment the console's Node host runs in, for the launchers and the benchmarks alike.
import { existsSync } from 'node:fs';

/** Where Debian, Ubuntu and Fedora put jemalloc (Debian's libjemalloc2). */
const JEMALLOC = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
];

/**
 * On Linux, the host runs on jemalloc when it is installed: glibc's allocator kept 25–35 MB of a
 * burst's freed memory (a hostile backend, a replay) for as long as the console ran, while jemalloc
 * hands it back within seconds. `AV_GYM_MALLOC=system` keeps glibc's; an LD_PRELOAD already set is left alone.
 * @param {NodeJS.ProcessEnv} env
 * @param {(path: string) => boolean} exists
 * @param {string} platform
 * @returns {NodeJS.ProcessEnv}
 */
export function hostEnv(env = process.env, exists = existsSync, platform = process.platform) {
  if (platform !== 'linux' || env.LD_PRELOAD || env.AV_GYM_MALLOC === 'system') return env;
  const lib = JEMALLOC.find((p) => exists(p));
  return lib ? { ...env, LD_PRELOAD: lib } : env;
}

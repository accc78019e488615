import { describe, expect, it } from 'vitest';
import { hostEnv } from '../../scripts/host-env.mjs';

const JE = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
const only = (path: string) => (p: string) => p === path;

describe('the host environment the launchers give', () => {
  it('preloads jemalloc on Linux when it is installed', () => {
    expect(hostEnv({ PATH: '/bin' }, only(JE), 'linux')).toEqual({ PATH: '/bin', LD_PRELOAD: JE });
  });

  it('leaves the environment alone without jemalloc, off Linux, when told to, or when LD_PRELOAD is set', () => {
    expect(hostEnv({ PATH: '/bin' }, () => false, 'linux')).toEqual({ PATH: '/bin' });
    expect(hostEnv({ PATH: '/bin' }, only(JE), 'win32')).toEqual({ PATH: '/bin' });
    expect(hostEnv({ AV_GYM_MALLOC: 'system' }, only(JE), 'linux')).toEqual({ AV_GYM_MALLOC: 'system' });
    expect(hostEnv({ LD_PRELOAD: '/opt/x.so' }, only(JE), 'linux')).toEqual({ LD_PRELOAD: '/opt/x.so' });
  });
});

import { describe, expect, it } from 'vitest';
import { HANDED_TOKEN_ENV as LAUNCHER_NAME, tokenOutOfArgv } from '../../scripts/token-handoff.mjs';
import { HANDED_TOKEN_ENV, flagToken } from '../../src/main/core/startup/handed-token';

// A child's command line is readable by every user of the PC for as long as it runs: the token goes by environment.
const how = { flag: '--backend-token', envName: HANDED_TOKEN_ENV };

describe('the launchers hand the backend token over by environment, never by the child\'s argv', () => {
  it('takes "--backend-token T" and "--backend-token=T" out of the arguments and into the environment', () => {
    for (const given of [['--backend-token', 's3cretTok'], ['--backend-token=s3cretTok']]) {
      const r = tokenOutOfArgv(['--backend', 'ws://a:1', ...given, '--port', '8700'], { PATH: '/bin' }, how);
      expect(r.args).toEqual(['--backend', 'ws://a:1', '--port', '8700']);
      expect(r.args.join(' ')).not.toContain('s3cretTok');
      expect(r.env).toEqual({ PATH: '/bin', [HANDED_TOKEN_ENV]: 's3cretTok' });
      expect(r.handed).toBe(true);
    }
  });

  it('the last one given wins, as in parseArgs; none given leaves both alone', () => {
    expect(tokenOutOfArgv(['--backend-token', 'a', '--backend-token=b'], {}, how).env[HANDED_TOKEN_ENV]).toBe('b');
    const none = tokenOutOfArgv(['--demo'], { PATH: '/bin' }, how);
    expect(none).toEqual({ args: ['--demo'], env: { PATH: '/bin' }, handed: false });
  });

  it('a flag with no value is left for the host to refuse in its own words; nothing after -- is touched', () => {
    expect(tokenOutOfArgv(['--backend-token'], {}, how).args).toEqual(['--backend-token']);
    expect(tokenOutOfArgv(['--backend-token', '--port', '1'], {}, how).args).toEqual(['--backend-token', '--port', '1']);
    expect(tokenOutOfArgv(['--', '--backend-token', 'x'], {}, how)).toMatchObject({ args: ['--', '--backend-token', 'x'], handed: false });
  });

  it('launcher and host agree on the variable\'s name', () => {
    expect(LAUNCHER_NAME).toBe(HANDED_TOKEN_ENV);
  });
});

describe('the host reads a handed token as the flag, and warns when the flag is on its own command line', () => {
  it('a handed token counts as --backend-token, is removed from the environment, and needs no warning', () => {
    const env: Record<string, string | undefined> = { [HANDED_TOKEN_ENV]: 's3cretTok', PATH: '/bin' };
    expect(flagToken(undefined, env, 'npm run web')).toEqual({ token: 's3cretTok', warning: null });
    expect(env).toEqual({ PATH: '/bin' });
  });

  it('--backend-token given to the host itself: one line saying who can see it, for how long, and the better way', () => {
    const { token, warning } = flagToken('s3cretTok', {}, 'npm run web');
    expect(token).toBe('s3cretTok');
    expect(warning).toMatch(/can be read by every user of this PC \(in the process list\) for as long as this console runs/);
    expect(warning).toContain('GYM_BACKEND_TOKEN=TOKEN npm run web -- --backend');
    expect(warning).not.toContain('s3cretTok');
    expect(warning).not.toContain('\n');
  });
});

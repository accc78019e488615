import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendProblems, TokenSchema } from '../../src/shared/backend';
import { ClientFrameSchema, LIMITS } from '../../src/shared/protocol';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { fileTokenVault } from '../../src/main/core/token-vault';

// A token the console takes must be one the backend's greeting takes: otherwise a long token (a JWT)
// is refused as a bad frame, and staff are told the backend is stuck.
const hello = (token: string) => ClientFrameSchema.safeParse({ t: 'hello', versions: [2], token, client: 'av-gym-console' }).success;
const fresh = () => mkdtempSync(join(tmpdir(), 'gym-token-limit-'));

describe('the backend token limit is the wire\'s', () => {
  it.each([1, 255, 256, 257, 300, 512])('%i characters: the console takes it exactly when the greeting does', (n) => {
    const token = 'a'.repeat(n);
    expect(TokenSchema.safeParse(token).success).toBe(hello(token));
  });

  it('the Backend connection screen says the maximum', () => {
    expect(backendProblems({ token: 'e'.repeat(LIMITS.maxTokenLength + 1) }).token).toBe(
      `That is too long for a backend token (${LIMITS.maxTokenLength} characters at most); paste it again, or ask the backend's administrator for a shorter one.`,
    );
  });

  it('--backend-token and GYM_BACKEND_TOKEN past it are refused before anything is saved, saying the maximum', () => {
    const long = 'e'.repeat(LIMITS.maxTokenLength + 1);
    const dir = fresh();
    const flag = resolveStart({ flags: { backend: 'ws://127.0.0.1:1', backendToken: long }, env: {}, dataDir: dir, vault: fileTokenVault(dir) });
    expect(flag).toEqual({ ok: false, problems: [`--backend-token must be the token from the gym backend: 1 to ${LIMITS.maxTokenLength} characters, no spaces.`] });
    const env = resolveStart({ flags: { backend: 'ws://127.0.0.1:1' }, env: { GYM_BACKEND_TOKEN: long }, dataDir: dir, vault: fileTokenVault(dir) });
    expect(env).toEqual({ ok: false, problems: [`GYM_BACKEND_TOKEN must be the token from the gym backend: 1 to ${LIMITS.maxTokenLength} characters, no spaces.`] });
    // Unused, it is no reason to refuse: a new folder with no flags runs the demo.
    expect(resolveStart({ flags: {}, env: { GYM_BACKEND_TOKEN: long }, dataDir: fresh(), vault: fileTokenVault(dir) })).toMatchObject({ ok: true, plan: { mode: 'demo' } });
  });
});

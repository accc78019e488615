import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../src/main/core/version';

describe('the version diagnostics, the log and exports name', () => {
  it('is package.json’s, marked as run from source (the build writes it in plain)', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(`${version}-dev`);
    // In web.js or the chunk it shares with the other entries (announce-start names it too): written in plain by the build.
    const built = ['out/main/web.js', ...readdirSync('out/main/chunks').map((f) => `out/main/chunks/${f}`)].map((f) => readFileSync(f, 'utf8'));
    expect(built.some((code) => code.includes(`APP_VERSION = ${JSON.stringify(version)}`))).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../src/main/core/version';

describe('the version diagnostics, the log and exports name', () => {
  it('is package.json’s, marked as run from source (the build writes it in plain)', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(`${version}-dev`);
    expect(readFileSync('out/main/web.js', 'utf8')).toContain(`APP_VERSION = ${JSON.stringify(version)}`);
  });
});

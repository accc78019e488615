import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';

const root = join(import.meta.dirname, '../..');
const configFile = join(root, 'electron-builder.config.mjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
const loaded = (await import(pathToFileURL(configFile).href)) as { default: Configuration; rebuildOnlyInStaging: (ctx: { appDir: string }) => boolean };
const config = loaded.default;
const quiet = { isEnabled: false, add: () => {} } as unknown as Parameters<typeof validateConfiguration>[1];

describe('electron-builder config', () => {
  it("passes electron-builder's own schema (scheme.json)", async () => {
    await expect(validateConfiguration({ ...config }, quiet)).resolves.toBeUndefined();
  });

  it('the schema check can fail: a misspelt key is refused', async () => {
    await expect(validateConfiguration({ ...config, asarr: true } as Configuration, quiet)).rejects.toThrow(/asarr/);
  });

  it('flips every fuse the issue names', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('builds AppImage and deb for Linux and NSIS for Windows, with the app id, name and icons', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.appId).toBe('com.avgym.console');
    expect(config.productName).toBe('AV Gym Console');
    expect(config.linux?.icon).toBe(join(root, 'resources/icons'));
    expect(config.win?.icon).toBe(join(root, 'resources/icon.ico'));
    expect(config.electronVersion).toBe(pkg.devDependencies.electron);
  });

  it('keeps asar on with the native module unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
  });
});

describe('better-sqlite3 keeps its Node build in node_modules', () => {
  it('no npm lifecycle script rebuilds native modules for Electron', () => {
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preprepare', 'postprepare'];
    for (const name of lifecycle) expect(pkg.scripts[name] ?? '', name).not.toMatch(/install-app-deps|electron-rebuild|@electron\/rebuild/);
  });

  it('rebuilds only when packaging, and refuses to do it in the checkout itself', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.beforeBuild).toBe(loaded.rebuildOnlyInStaging);
    expect(() => loaded.rebuildOnlyInStaging({ appDir: root })).toThrow(/staging/);
    expect(loaded.rebuildOnlyInStaging({ appDir: join(root, 'resources') })).toBe(true);
  });

  it('npm run dist packages a staging copy outside the checkout', () => {
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
    const dist = readFileSync(join(root, 'scripts/dist.mjs'), 'utf8');
    expect(dist).toMatch(/mkdtempSync\(join\(tmpdir\(\)/);
    expect(dist).toMatch(/'--projectDir', stage/);
  });
});

describe('installer names', () => {
  it('are the ones the README lists', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const names = { nsis: 'av-gym-console-setup-0.1.0-x64.exe', deb: 'av-gym-console_0.1.0_amd64.deb', appImage: 'av-gym-console-0.1.0-x86_64.AppImage' };
    const arch = { nsis: 'x64', deb: 'amd64', appImage: 'x86_64' };
    const ext = { nsis: 'exe', deb: 'deb', appImage: 'AppImage' };
    for (const key of ['nsis', 'deb', 'appImage'] as const) {
      const pattern = (config[key] as { artifactName?: string } | undefined)?.artifactName ?? '';
      const expanded = pattern.replace('${version}', '0.1.0').replace('${arch}', arch[key]).replace('${ext}', ext[key]);
      expect(expanded).toBe(names[key]);
      expect(readme).toContain(names[key]);
    }
  });
});

// electron-builder's config, used by `npm run dist` (scripts/dist.mjs), which runs the builder in a
// staging copy of the app: better-sqlite3 is rebuilt for Electron there, never in ./node_modules.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const desktop = JSON.parse(readFileSync(join(root, 'resources/desktop-entry.json'), 'utf8'));
const res = (file) => join(root, 'resources', file);

/** Refuses to rebuild native modules in the repo's own node_modules: the tests need the Node build there. */
export function rebuildOnlyInStaging({ appDir }) {
  if (realpathSync(appDir) === realpathSync(root)) {
    throw new Error('electron-builder would rebuild better-sqlite3 for Electron in this checkout and break the tests: run `npm run dist`, which packages a staging copy.');
  }
  return true;
}

export default {
  appId: 'com.avgym.console',
  productName: pkg.productName,
  copyright: `Copyright © ${pkg.author}`,
  // Pinned to the version the app is developed against, not guessed from node_modules (the staging copy has none).
  electronVersion: pkg.devDependencies.electron,
  directories: { output: join(root, 'dist'), buildResources: join(root, 'resources') },
  files: ['out/**', 'package.json', '!**/*.map'],
  asar: true,
  // A native module cannot be loaded from inside the archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**', '**/*.node'],
  npmRebuild: true,
  beforeBuild: rebuildOnlyInStaging,
  // Flipped in the packaged binary: see README, "Installing".
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    icon: res('icons'),
    executableName: 'av-gym-console',
    maintainer: pkg.author,
    category: desktop.Categories.split(';')[0],
    description: desktop.Comment,
    syncDesktopName: true,
    desktop: { entry: { GenericName: desktop.GenericName, Categories: desktop.Categories, Keywords: desktop.Keywords } },
  },
  win: { target: [{ target: 'nsis', arch: ['x64'] }], icon: res('icon.ico') },
  // Names without spaces, the same on every builder version, as the README lists them.
  appImage: { artifactName: 'av-gym-console-${version}-${arch}.${ext}' },
  deb: { artifactName: 'av-gym-console_${version}_${arch}.${ext}' },
  nsis: {
    artifactName: 'av-gym-console-setup-${version}-${arch}.${ext}',
    oneClick: false,
    perMachine: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: pkg.productName,
    installerIcon: res('icon.ico'),
    uninstallerIcon: res('icon.ico'),
    // The data folder holds the outbox (check-ins not yet sent): never delete it with the program.
    deleteAppDataOnUninstall: false,
  },
};

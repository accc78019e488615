// npm run icons: every icon the installers, the window and the tray use, drawn from resources/icon.svg.
// The outputs are committed, so packaging needs no drawing step; run this again after changing the SVG.
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-state.mjs';

const res = join(root, 'resources');
const svg = readFileSync(join(res, 'icon.svg'), 'utf8');

/** Each size is drawn from the vector, not scaled from a big PNG, so the small ones stay crisp. */
const draw = (source, size) => Buffer.from(new Resvg(source, { fitTo: { mode: 'width', value: size } }).render().asPng());

/** The tray's badge: the backend's state as a coloured dot (and a bar when offline, for those who cannot tell red from green). */
const BADGES = {
  connected: '<circle cx="12.5" cy="12.5" r="3.2" fill="#1a7f37" stroke="#ffffff" stroke-width="0.8"/>',
  degraded: '<circle cx="12.5" cy="12.5" r="3.2" fill="#b35900" stroke="#ffffff" stroke-width="0.8"/>',
  offline: '<circle cx="12.5" cy="12.5" r="3.2" fill="#c62828" stroke="#ffffff" stroke-width="0.8"/><rect x="10.7" y="12" width="3.6" height="1" fill="#ffffff"/>',
};
const badged = (badge) => svg.replace('</svg>', `  ${badge}\n</svg>`);

const write = (rel, data) => {
  const file = join(res, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, data);
  console.log(`icons: ${rel}`);
};

write('icon.png', draw(svg, 512));
// Linux (AppImage, deb): a folder of NxN.png, one per size the desktop may ask for.
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) write(`icons/${size}x${size}.png`, draw(svg, size));
// Windows (window, taskbar, NSIS installer): one .ico holding the usual sizes.
write('icon.ico', await pngToIco([16, 24, 32, 48, 64, 128, 256].map((s) => draw(svg, s))));
// The tray: one picture per backend state, with @2x for high-DPI screens (Electron picks it by name).
for (const [state, badge] of Object.entries(BADGES)) {
  write(`tray/${state}.png`, draw(badged(badge), 16));
  write(`tray/${state}@2x.png`, draw(badged(badge), 32));
}

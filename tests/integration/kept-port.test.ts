import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost, type Started } from '../helpers/built-host';
import { keepPort, PORT_FILE, readKeptPort } from '../../src/main/web/kept-port';
import { freePort } from '../helpers/free-port';
import { markLive } from '../../src/main/core/startup/site-marker';
import { keptWebToken } from '../../src/main/web/web-token';
import { fileTokenVault } from '../../src/main/core/token-vault';

// Screens left open across a restart reconnect only at the address they have: the data dir keeps the port
// given with --port, as it keeps the web token, the kiosk and the review PC, and a start without --port uses it.

const dir = () => mkdtempSync(join(tmpdir(), 'gym-kept-port-'));
const lines = (s: string): string[] => s.trim().split('\n');

const host = (args: string[]) => startBuiltHost(args, { freePort: false });
const started = async (args: string[]): Promise<Started> => {
  const h = await host(args);
  if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
  return h;
};

describe('the port kept in the data dir', () => {
  it('reads nothing from a new folder, and a damaged file as none, with a warning naming it', () => {
    const d = dir();
    expect(readKeptPort(join(d, 'not-made-yet'))).toEqual({ port: null, warning: null });
    expect(existsSync(join(d, 'not-made-yet'))).toBe(false);
    writeFileSync(join(d, PORT_FILE), '{"port": 99999}');
    expect(readKeptPort(d)).toEqual({ port: null, warning: expect.stringContaining(`${join(d, PORT_FILE)} could not be used (it does not hold a port the console wrote): a free port is picked`) });
    writeFileSync(join(d, PORT_FILE), 'not json');
    expect(readKeptPort(d).port).toBeNull();
  });

  it('--port N keeps N, the same N again says nothing, no --port changes nothing, --port 0 forgets it', () => {
    const d = dir();
    expect(keepPort(d, 8641, null)).toMatchObject({ kept: true, warn: false, note: expect.stringContaining('later starts without --port use it') });
    expect(readKeptPort(d)).toEqual({ port: 8641, warning: null });
    expect(keepPort(d, 8641, 8641)).toEqual({ note: null, warn: false, kept: true });
    expect(keepPort(d, undefined, 8641)).toEqual({ note: null, warn: false, kept: true });
    expect(keepPort(d, 8700, 8641).note).toContain('port 8700 is kept');
    expect(readKeptPort(d).port).toBe(8700);
    expect(keepPort(d, 0, 8700)).toMatchObject({ kept: false, note: expect.stringContaining('--port 0: port 8700 is no longer kept') });
    expect(readdirSync(d)).toEqual([]);
    expect(keepPort(d, 0, null)).toEqual({ note: null, warn: false, kept: false });
  });
});

describe('the built host restarted without --port', () => {
  beforeAll(requireBuild);
  afterAll(killBuiltHosts);

  it('comes back on the port given before, says so, and refuses (naming the file) rather than move when it is taken', async () => {
    const d = dir();
    const port = await freePort();
    const first = await started(['--review-only', '--data-dir', d, '--port', String(port)]);
    expect(new URL(first.url).port).toBe(String(port));
    expect(first.stderr()).toContain(`console: port ${port} is kept in ${join(d, PORT_FILE)}: later starts without --port use it`);
    expect(first.stderr()).toContain(`(mode 0600), and with the port kept in ${join(d, PORT_FILE)}, the printed address keeps working after a restart`);
    await stopBuiltHost(first.child);

    // No flags at all, as the README's table says: the same address, token and all.
    const again = await started(['--data-dir', d]);
    expect(again.url).toBe(first.url);
    expect(again.stderr()).toContain(`console: starting on port ${port}, as this PC was set up (--port ${port}, kept in ${join(d, PORT_FILE)})`);
    expect(again.stderr()).toContain('console: starting as a review PC (for opening exports only');
    await stopBuiltHost(again.child);

    // Taken by another program by the next start: never a quiet move to another port the open screens do not know.
    // It reads its connections, as a real program does: the start asks the holder once whether it is a console,
    // and a connection never read would hold close() below for ever.
    const busy: Server = createServer((socket) => socket.resume());
    await new Promise<void>((r) => busy.listen(port, '127.0.0.1', r));
    try {
      const before = readdirSync(d).sort();
      const taken = await host(['--data-dir', d]);
      if ('url' in taken) throw new Error(`host started at ${taken.url}; it should have been refused`);
      expect(taken.code).toBe(1);
      expect(lines(taken.stderr)).toEqual([
        `console: port ${port} (kept in ${join(d, PORT_FILE)} from an earlier --port ${port}, so open screens find the console there) is already in use by another program: close that program, or start it with --port N for another port (--port 0: a free one is picked).`,
      ]);
      expect(readdirSync(d).sort()).toEqual(before);
      expect(readKeptPort(d).port).toBe(port);
    } finally {
      await new Promise((r) => busy.close(r));
    }

    // --port 0 goes back to a free port on each start, and says the kept one is forgotten.
    const free = await started(['--data-dir', d, '--port', '0']);
    expect(free.stderr()).toContain(`console: --port 0: port ${port} is no longer kept (${join(d, PORT_FILE)} removed)`);
    await stopBuiltHost(free.child);
    expect(existsSync(join(d, PORT_FILE))).toBe(false);
    const later = await started(['--data-dir', d]);
    expect(later.stderr()).not.toContain('starting on port');
    await stopBuiltHost(later.child);
    expect(readFileSync(join(d, 'logs', 'console.log'), 'utf8')).toContain(`starting on port ${port}`);
  }, 60_000);

  /** A live site's address kept in `d`: its port, its page key, and the port file as written. */
  async function liveAddressKept(d: string): Promise<{ port: number; liveToken: string; before: string }> {
    const port = await freePort();
    keepPort(d, port, null);
    return { port, liveToken: keptWebToken(d, { portKept: true }).token, before: readFileSync(join(d, PORT_FILE), 'utf8') };
  }

  /**
   * `--demo` on live folder `d` gets its own port and key and says so; `--demo --port 0` forgets nothing; the live
   * site's kept port file and key are as they were. Gives what the first demo said on standard error, and its port.
   */
  async function demoLeavesLiveAddress(d: string, port: number, liveToken: string, before: string): Promise<{ said: string; demoPort: string }> {
    const demo = await started(['--demo', '--data-dir', d]);
    const url = new URL(demo.url);
    expect(url.port).not.toBe(String(port));
    expect(url.hash).not.toContain(liveToken);
    const said = demo.stderr();
    expect(said).toContain(`console: this demo has its own address (port ${url.port}, with a key for this run only)`);
    await stopBuiltHost(demo.child);

    const zero = await started(['--demo', '--port', '0', '--data-dir', d]);
    expect(zero.stderr()).not.toContain('no longer kept');
    await stopBuiltHost(zero.child);
    expect(readFileSync(join(d, PORT_FILE), 'utf8')).toBe(before);
    expect(readFileSync(join(d, 'web-token'), 'utf8').trim()).toBe(liveToken);
    return { said, demoPort: url.port };
  }

  // probe-readme18 #3: --demo on a live gym's folder took the live port and token, so every desk and kiosk screen
  // open at the live address switched to the demo (a desk signed in as manager with no PIN, a kiosk checking real
  // members against invented ones); and --demo --port 0 forgot the live site's kept port.
  it('a demo on a live gym\'s folder gets its own port and key, and leaves the live address as it was', async () => {
    const d = dir();
    markLive(d);
    const { port, liveToken, before } = await liveAddressKept(d);

    const { said, demoPort } = await demoLeavesLiveAddress(d, port, liveToken, before);
    expect(said).toContain(`console: this demo has its own address (port ${demoPort}, with a key for this run only), not the live console's (port ${port}, kept in ${join(d, PORT_FILE)}): screens open at the live address do not switch to the demo`);
    expect(said).toContain("This PC's live console starts again when started without --demo.");
    expect(said).not.toContain('--backend ws://host:port');
  }, 60_000);

  // review18 H2: "live" was decided twice. The start's plan counts a saved backend token (a folder last run by a
  // console from before site.json, or one whose site.json cannot be read); the port and key only site.json. On such
  // a folder the demo said it was a guest and still took the live address, so open screens switched to the demo.
  it('a folder live by its saved token alone (no site.json): the demo still gets its own port and key', async () => {
    const d = dir();
    fileTokenVault(d).save('live-backend-token');
    const { port, liveToken, before } = await liveAddressKept(d);
    expect(existsSync(join(d, 'site.json'))).toBe(false);

    await demoLeavesLiveAddress(d, port, liveToken, before);
  }, 60_000);

  // readme23 R1: --review-only once on a live kiosk PC took its kept port and key: the kiosk screen at the live
  // address turned into the review console's first-run PIN screen, for anyone at the kiosk to set.
  it('a review-only start on a live gym\'s folder gets its own port and key too, and leaves the live address as it was', async () => {
    const d = dir();
    markLive(d);
    const { port, liveToken, before } = await liveAddressKept(d);

    const review = await started(['--review-only', '--data-dir', d]);
    const url = new URL(review.url);
    expect(url.port).not.toBe(String(port));
    expect(url.hash).not.toContain(liveToken);
    expect(review.stderr()).toContain(`console: this review-only console has its own address (port ${url.port}, with a key for this run only), not the live console's (port ${port}, kept in ${join(d, PORT_FILE)}): screens open at the live address do not switch to the review-only console`);
    await stopBuiltHost(review.child);
    expect(readFileSync(join(d, PORT_FILE), 'utf8')).toBe(before);
    expect(readFileSync(join(d, 'web-token'), 'utf8').trim()).toBe(liveToken);
  }, 60_000);
});

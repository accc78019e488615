import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startCore, type Core } from '../../src/main/core/app';
import { startHost, type Host } from '../../src/main/web/host';
import type { HostFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';
import { DEMO_PINS, type Role } from '../../src/shared/roles';
import { waitFor } from '../helpers/wait';

// probe-hostile12 F9: exports (member names, cards) and uploads went over plain HTTP with the page
// token alone, which every screen has, a kiosk's too. Now each transfer needs a ticket that only a
// screen signed in with the role for it is given.
let core: Core;
let host: Host;
const dataDir = mkdtempSync(join(tmpdir(), 'gym-transfers-'));

beforeAll(async () => {
  writeFileSync(join(dataDir, 'index.html'), '<!doctype html><title>t</title>');
  core = await startCore({ version: 'test', dataDir, demoRatePerHour: 600 });
  host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir: dataDir, exportsDir: join(dataDir, 'exports'), inbox: core.inbox, newSession: core.newSession, tickets: core.tickets });
});
afterAll(async () => {
  await host.close();
  await core.stop();
});

const base = () => `http://127.0.0.1:${host.port}`;

/** A screen on the bridge, signed in as `role` (the demo's first screen is the manager's). */
async function screen(role: Role | 'first') {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`);
  const replies = new Map<number, Result<unknown>>();
  let id = 0;
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as HostFrame;
    if ('result' in f && typeof f.id === 'number') replies.set(f.id, f.result);
  });
  await new Promise((r) => ws.once('open', r));
  const call = async <T = unknown>(name: string, payload?: unknown): Promise<Result<T>> => {
    const mine = ++id;
    ws.send(JSON.stringify({ id: mine, name, payload }));
    return (await waitFor(() => replies.get(mine))) as Result<T>;
  };
  if (role !== 'first') {
    await call('auth.logout');
    expect(await call('auth.login', { role, pin: DEMO_PINS[role] })).toMatchObject({ ok: true });
  }
  return { ws, call };
}

const download = (name: string, query: string) => fetch(`${base()}/exports/${encodeURIComponent(name)}?${query}`);
const upload = (body: Buffer | string, query: string) => fetch(`${base()}/uploads?${query}&name=site.json`, { method: 'POST', body });

describe('downloads of exports', () => {
  let name: string;
  let file: string;
  let manager: Awaited<ReturnType<typeof screen>>;

  beforeAll(async () => {
    manager = await screen('first');
    const r = await manager.call<{ name: string; file: string }>('analytics.export', { range: { last: '1h' }, format: 'json' });
    if (!r.ok) throw new Error(r.error.message);
    ({ name, file } = r.value);
  });

  it('the page token alone, which a kiosk has too, downloads nothing', async () => {
    const r = await download(name, `token=${host.token}`);
    expect(r.status).toBe(403);
    expect(await r.text()).toMatch(/needs a manager signed in .* press Download there again/);
    expect((await download(name, `token=${host.token}&ticket=made-up`)).status).toBe(403);
  });

  it('a manager’s ticket downloads that export once, and only that one', async () => {
    const t = await manager.call<{ ticket: string }>('analytics.downloadTicket', { name });
    if (!t.ok) throw new Error(t.error.message);
    const other = name.replace('.json', '-2.json');
    writeFileSync(join(dataDir, 'exports', other), '{}');
    expect((await download(other, `token=${host.token}&ticket=${t.value.ticket}`)).status).toBe(403);

    const t2 = (await manager.call<{ ticket: string }>('analytics.downloadTicket', { name })) as { ok: true; value: { ticket: string } };
    const got = await download(name, `token=${host.token}&ticket=${t2.value.ticket}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    expect(Buffer.from(await got.arrayBuffer()).equals(readFileSync(file))).toBe(true);
    expect((await download(name, `token=${host.token}&ticket=${t2.value.ticket}`)).status).toBe(403);
    // The token is still checked first.
    const t3 = (await manager.call<{ ticket: string }>('analytics.downloadTicket', { name })) as { ok: true; value: { ticket: string } };
    expect((await download(name, `token=nope&ticket=${t3.value.ticket}`)).status).toBe(401);
  });

  it('a kiosk or front desk screen is given no download ticket', async () => {
    for (const role of ['kiosk', 'desk'] as const) {
      const s = await screen(role);
      expect(await s.call('analytics.downloadTicket', { name })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      s.ws.close();
    }
  });

  it('a ticket dies with its sign-in; a name not in the exports folder gets none, in words', async () => {
    const m = await screen('manager');
    const t = (await m.call<{ ticket: string }>('analytics.downloadTicket', { name })) as { ok: true; value: { ticket: string } };
    await m.call('auth.logout');
    expect((await download(name, `token=${host.token}&ticket=${t.value.ticket}`)).status).toBe(403);
    await m.call('auth.login', { role: 'manager', pin: DEMO_PINS.manager });
    expect(await m.call('analytics.downloadTicket', { name: 'gym-1h-gone.json' })).toMatchObject({ ok: false, error: { code: 'export-gone', message: expect.stringContaining('export the range again') } });
    expect(await m.call('analytics.downloadTicket', { name: '../console.db' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    m.ws.close();
  });
});

describe('uploads for review', () => {
  it('need a ticket from a screen that may open exports; a kiosk gets none', async () => {
    expect((await upload('{}', `token=${host.token}`)).status).toBe(403);
    const kiosk = await screen('kiosk');
    expect(await kiosk.call('analytics.uploadTicket')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    kiosk.ws.close();

    const desk = await screen('desk');
    const t = (await desk.call<{ ticket: string }>('analytics.uploadTicket')) as { ok: true; value: { ticket: string } };
    const r = await upload('{}', `token=${host.token}&ticket=${t.value.ticket}`);
    expect(r.status).toBe(200);
    core.inbox.release([((await r.json()) as { ref: string }).ref]);
    const again = await upload('{}', `token=${host.token}&ticket=${t.value.ticket}`);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: string }).error).toMatch(/choose the file again/);
    desk.ws.close();
  });
});

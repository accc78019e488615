import { describe, expect, it } from 'vitest';
import { poolChannels } from '../../src/main/core/delivery/pool-channels';
import type { PoolManager } from '../../src/main/core/pool/manager';

/** A socket as the channels see it: routable, with a send buffer and in-flight requests we set by hand. */
function fakeSocket(id: string) {
  return { id, routable: true, routed: 0, conn: { bufferedAmount: 0, inFlight: 0, request: () => new Promise(() => {}) } };
}

function source(sockets: ReturnType<typeof fakeSocket>[]) {
  const mgr = { main: { sockets: () => sockets, pickWhere: (f: (s: unknown) => boolean) => sockets.find(f) } } as unknown as PoolManager;
  return poolChannels(mgr, { window: 4, high: 1_000, low: 200 });
}

describe('send-buffer backpressure (high and low watermarks)', () => {
  it('stops feeding a socket above the high mark and resumes only below the low mark', () => {
    const s = fakeSocket('a');
    const ch = source([s]).get('a')!;
    expect(ch.ready('system')).toBe(true);
    s.conn.bufferedAmount = 1_500;
    expect(ch.ready('realtime')).toBe(false);
    s.conn.bufferedAmount = 500; // below high but not below low: still choked (hysteresis)
    expect(ch.ready('realtime')).toBe(false);
    s.conn.bufferedAmount = 100;
    expect(ch.ready('realtime')).toBe(true);
  });

  it('keeps half the window for check-ins: lower lanes stop at half, realtime at the full window', () => {
    const s = fakeSocket('a');
    const ch = source([s]).get('a')!;
    s.conn.inFlight = 2;
    expect(ch.ready('broadcast')).toBe(false);
    expect(ch.ready('realtime')).toBe(true);
    s.conn.inFlight = 4;
    expect(ch.ready('realtime')).toBe(false);
  });

  it('prefers a socket no other lane is using', () => {
    const a = fakeSocket('a');
    const b = fakeSocket('b');
    expect(source([a, b]).pick('system', new Set(['a']))!.id).toBe('b');
    b.routable = false;
    expect(source([a, b]).pick('system', new Set(['a']))!.id).toBe('a'); // shared, rather than none
  });
});

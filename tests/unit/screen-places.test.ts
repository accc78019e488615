import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { screenPlaces } from '../../src/main/web/screen-places';
import { FakeClock } from '../helpers/fake-clock';

/** A bridge as screen places handles it: closed when its place is taken for a newcomer. */
const bridge = () => Object.assign(new EventEmitter(), { close: () => {}, terminate: () => {}, ping: () => {} }) as unknown as WebSocket;

describe('screens closed to make room, in the log', () => {
  it('the first is said at once; the ones closed after it within the minute are counted, and said when it is up though no more come', () => {
    const clock = new FakeClock();
    const notes: string[] = [];
    const places = screenPlaces({ max: 1, note: (l) => void notes.push(l), clock });
    try {
      places.add(bridge(), () => false, () => {});
      for (let i = 0; i < 4; i++) {
        places.makeRoom();
        places.add(bridge(), () => false, () => {});
        clock.advance(1_000);
      }
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/^a screen was closed to make room for new ones: .* had sent nothing since \d\d:\d\d\. /);
      // review18 L3: the count was said only with the next screen closed, so it was lost when they stopped.
      clock.advance(60_000);
      expect(notes).toHaveLength(2);
      expect(notes[1]).toMatch(/^3 screens were closed to make room for new ones/);
    } finally {
      places.stop();
    }
  });
});

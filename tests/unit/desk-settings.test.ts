import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_SETTINGS, capacityShare, occupancyLevel, occupancyWarnings, readDeskSettings } from '../../src/shared/desk';
import { occupancyHint } from '../../src/shared/words';

const policy = DEFAULT_DESK_SETTINGS.offlinePolicy;

describe('capacity: the backend owns it, the gym sets only warnings', () => {
  it('an old stored "capacity" becomes the warnings it used to give (80 % and 90 % of it)', () => {
    expect(readDeskSettings({ offlinePolicy: policy, verdictSeconds: 6, capacity: 300 })).toEqual({ offlinePolicy: policy, verdictSeconds: 6, busyAt: 240, nearlyFullAt: 270 });
    expect(readDeskSettings({ offlinePolicy: policy, verdictSeconds: 6, capacity: 0 })).toEqual({ offlinePolicy: policy, verdictSeconds: 6, busyAt: 0, nearlyFullAt: 0 });
  });

  it('current settings read as they are; unreadable ones fall back to the defaults', () => {
    const now = { offlinePolicy: policy, verdictSeconds: 5, busyAt: 150, nearlyFullAt: 200 };
    expect(readDeskSettings(now)).toEqual(now);
    expect(readDeskSettings({ verdictSeconds: 'x' })).toEqual(DEFAULT_DESK_SETTINGS);
    expect(readDeskSettings(null)).toEqual(DEFAULT_DESK_SETTINGS);
  });

  it('0 warns at 80 % and 90 % of the backend capacity; set thresholds win', () => {
    expect(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 250)).toEqual({ busyAt: 200, nearlyFullAt: 225 });
    expect(occupancyWarnings({ busyAt: 100, nearlyFullAt: 0 }, 250)).toEqual({ busyAt: 100, nearlyFullAt: 225 });
    expect(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 0)).toEqual({ busyAt: 0, nearlyFullAt: 0 });
  });

  it('a small gym warns below its capacity: at 5, busy at 3 and nearly full at 4, not "nearly full" at 5 of 5', () => {
    expect(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 5)).toEqual({ busyAt: 3, nearlyFullAt: 4 });
    expect(occupancyHint(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 5), 5)).toBe('Warns at 3 (busy) and 4 (nearly full); at 5 the gym is full and the backend turns members away.');
    expect(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 10)).toEqual({ busyAt: 8, nearlyFullAt: 9 });
    // Busy at half the capacity or before is not busy; with room for one, full is the only word.
    expect(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 2)).toEqual({ busyAt: 0, nearlyFullAt: 1 });
    expect(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 1)).toEqual({ busyAt: 0, nearlyFullAt: 0 });
    expect(occupancyHint(occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 1), 1)).toBe('At 1 the gym is full and the backend turns members away.');
    for (let c = 1; c <= 300; c++) {
      const w = occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, c);
      expect(w.nearlyFullAt, `capacity ${c}`).toBeLessThan(c);
      if (w.busyAt) expect(w.busyAt, `capacity ${c}`).toBeLessThan(w.nearlyFullAt);
    }
    // A set threshold at or past the capacity is not named: the gym is full there.
    expect(occupancyHint({ busyAt: 4, nearlyFullAt: 5 }, 5)).toBe('Warns at 4 (busy); at 5 the gym is full and the backend turns members away.');
  });

  it('"full" is only ever the backend capacity, never a warning threshold', () => {
    // The bug: a setting of 300 made 250 people read as "getting busy" while the backend (250) denied entry.
    const w = occupancyWarnings({ busyAt: 240, nearlyFullAt: 270 }, 250);
    expect(occupancyLevel(250, 250, w)).toBe('full');
    expect(occupancyLevel(245, 250, w)).toBe('busy');
    expect(occupancyLevel(100, 250, occupancyWarnings({ busyAt: 80, nearlyFullAt: 95 }, 250))).toBe('nearly-full');
    expect(occupancyLevel(10, 250, w)).toBe('ok');
    expect(occupancyLevel(10, 0, occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, 0))).toBe('ok');
  });
});

describe('occupancy as a share of the capacity', () => {
  it('never "0%" with people inside, never "100%" unless full', () => {
    expect(capacityShare(0, 250)).toBe('0%');
    expect(capacityShare(1, 250)).toBe('under 1%');
    expect(capacityShare(2, 250)).toBe('under 1%');
    expect(capacityShare(3, 250)).toBe('1%');
    expect(capacityShare(249, 250)).toBe('99%');
    expect(capacityShare(250, 250)).toBe('100%');
    expect(capacityShare(5, 0)).toBe('0%');
  });
});

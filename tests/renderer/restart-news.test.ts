import { describe, expect, it } from 'vitest';
import { restartNews } from '../../src/renderer/src/features/overview/restart-news';
import type { FailureCause } from '../../src/shared/pools';

// readme24 R15: "The gym's system was restarted at 03:06 AM; this PC caught up with it." stayed on the Backend card under a
// new, different fault, where it read as that fault's reason.
describe("the Backend card's news of a backend restart", () => {
  const at = new Date(2026, 11, 7, 3, 6).getTime();
  const fault: FailureCause = { kind: 'no-welcome', text: 'x', next: 'y', nextHere: 'z', detail: 'd' };

  it('is said while the link is well', () => {
    expect(restartNews({ restartedAt: at, state: 'connected', cause: null })).toMatch(/^The gym's system was restarted at .+; this PC caught up with it\.$/);
    expect(restartNews({ restartedAt: at, restartedWhileAway: true, state: 'connected', cause: null })).toBe("The gym's system was restarted while this PC was off, restarting or not connected to it; this PC caught up with it.");
  });

  it('gives way to a fault shown now, and to an offline link', () => {
    expect(restartNews({ restartedAt: at, state: 'degraded', cause: fault })).toBeNull();
    expect(restartNews({ restartedAt: at, state: 'offline', cause: null })).toBeNull();
    expect(restartNews({ restartedAt: null, state: 'connected', cause: null })).toBeNull();
  });
});

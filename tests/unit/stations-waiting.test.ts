import { describe, expect, it } from 'vitest';
import { ScreenSessions } from '../../src/main/core/auth/session';

// probe28a R3: a kiosk screen left "Station not open yet" after a restart sent members to the desk unseen.
describe('kiosk screens not open to members', () => {
  it('count while they say so, and no longer once opened, gone quiet or gone', () => {
    const screens = new ScreenSessions(null, null);
    const [a, b, desk] = [screens.start(), screens.start(), screens.start()];
    desk.rightPin('desk');
    a.waitingSince = 1_000;
    b.waitingSince = 1_000;
    desk.waitingSince = 1_000; // a signed-in screen is no closed station, whatever it said
    expect(screens.stationsWaiting(2_000, 12_500)).toBe(2);
    a.rightPin('manager', 'kiosk'); // opened
    expect(screens.stationsWaiting(2_000, 12_500)).toBe(1);
    expect(screens.stationsWaiting(20_000, 12_500)).toBe(0); // quiet: closed, or the page went elsewhere
    b.waitingSince = 19_000;
    b.end();
    expect(screens.stationsWaiting(20_000, 12_500)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { alertBanner } from '../../src/shared/banner-words';

describe('the banner over every tab', () => {
  const down = { kind: 'backend' as const, label: 'Backend connection', reason: 'No backend instance is reachable (0 of 3). Nothing is listening at the backend\'s address.' };

  it('tells the desk first that check-ins go on, and keeps the cause for IT as the detail', () => {
    const b = alertBanner(down, 'refused');
    expect(b.text).toMatch(/^This PC cannot reach the gym's system\. Keep checking members in/);
    expect(b.text).not.toMatch(/port|address|instance/i);
    expect(b.detail).toBe(`Backend connection: ${down.reason}`);
  });

  it('says the system cannot record check-ins when its database is down, not that it is unreachable', () => {
    expect(alertBanner({ ...down, reason: 'The backend is running, but it cannot reach its database (Redis)…' }, 'storage-unavailable').text).toMatch(/^The gym's system cannot record check-ins right now\. Keep checking members in/);
  });

  it('with no copy of the members list, says the PC cannot decide check-ins rather than to keep going', () => {
    const b = alertBanner(down, 'refused', false);
    expect(b.text).toMatch(/^This PC cannot reach the gym's system and has no copy of the members list yet, so it cannot decide check-ins until it has reached the system once/);
    expect(b.text).not.toMatch(/Keep checking members in|its copy/);
    expect(b.detail).toBe(`Backend connection: ${down.reason}`);
    // Its database down before this PC got a copy: not "keep checking members in" either.
    expect(alertBanner(down, 'storage-unavailable', false).text).toMatch(/^The gym's system cannot record check-ins right now, and this PC has no copy of the members list yet, so it cannot decide check-ins until the system is back/);
    // A PC with a copy goes on as before.
    expect(alertBanner(down, 'unauthorized', true).text).toMatch(/Keep checking members in: this PC decides from its copy/);
  });

  it('a refused token is for IT now, not "if this lasts": it never fixes itself (probe-walk14 W18)', () => {
    for (const cause of ['unauthorized', 'no-token']) {
      const b = alertBanner(down, cause);
      expect(b.text).toMatch(/^The gym's system does not accept this PC's backend token\. Keep checking members in/);
      expect(b.text).toMatch(/This will not fix itself: tell IT now/);
      expect(b.text).not.toMatch(/if this lasts|when the system is back/);
    }
  });

  // A backend that took the connection and then said nothing was "cannot reach": IT went to the cable.
  it('something took the connection but does not answer: not answering, never "cannot reach"', () => {
    for (const cause of ['no-welcome', 'not-backend', 'gateway']) {
      expect(alertBanner(down, cause).text).toMatch(/^The gym's system is not answering this PC\. Keep checking members in: this PC decides from its copy/);
      expect(alertBanner(down, cause, false).text).toMatch(/^The gym's system is not answering this PC, and this PC has no copy of the members list yet, so it cannot decide check-ins until the system has answered it once/);
    }
    // A refused token with no copy is said as refused too, not as out of reach.
    expect(alertBanner(down, 'unauthorized', false).text).toMatch(/^The gym's system does not accept this PC's backend token, and this PC has no copy of the members list yet, so it cannot decide check-ins until the system has let it in once/);
    for (const cause of ['no-welcome', 'unauthorized']) for (const copy of [true, false]) expect(alertBanner(down, cause, copy).text).not.toMatch(/cannot reach/);
  });

  it('other checks are one line, their label and reason', () => {
    expect(alertBanner({ kind: 'disk', label: 'Disk space', reason: 'Only 80 MB free.' }, null)).toEqual({ text: 'Disk space: Only 80 MB free.' });
  });
});

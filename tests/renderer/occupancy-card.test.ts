import { describe, expect, it } from 'vitest';
import { believedWords, countedHereWords, notCountedWords, occupancyWords } from '../../src/renderer/src/features/overview/occupancy-words';

describe("the Occupancy card's figures and note", () => {
  it('say a capacity of 0 the backend reports as reported, not as not known yet', () => {
    const w = occupancyWords({ count: 1, capacity: 0, at: 1_000 }, 'ok', false);
    expect(`${w.count} / ${w.of}`).toBe('1 / 0');
    expect(w.note).toBe('The backend reports a capacity of 0 (none set), so there is no share of it to show.');
    // Reported before the backend went away: still what it reported.
    expect(occupancyWords({ count: 1, capacity: 0, at: 1_000 }, 'ok', true).note).toBe(w.note);
  });

  it('before the backend has said anything, the count and the capacity are not known yet', () => {
    expect(occupancyWords({ count: 0, capacity: 0 }, 'ok', false)).toEqual({ known: false, count: '–', of: '–', note: 'Capacity not known yet.' });
    expect(occupancyWords({ count: 0, capacity: 0 }, 'ok', true).note).toBe('Not known yet: the backend has not answered this PC.');
  });

  it('with a capacity, the share of it and how full', () => {
    expect(occupancyWords({ count: 25, capacity: 250, at: 1_000 }, 'ok', false)).toEqual({ known: true, count: '25', of: '250', note: "10% of the backend's capacity" });
    expect(occupancyWords({ count: 250, capacity: 250, at: 1_000 }, 'full', false).note).toBe("100% of the backend's capacity: full, the backend is turning members away");
  });

  // probe27a P4: with the backend's database down the card looked live, though check-ins let in here were not counted.
  it('a count that stopped says why: the backend away, or unable to record', () => {
    expect(notCountedWords('away', '2:05 PM')).toBe('Last known at 2:05 PM: this PC is not connected to the backend, so check-ins taken on this PC meanwhile are not counted here until it is back.');
    expect(notCountedWords('cannot-record', null)).toBe("Last known: the gym's system cannot record check-ins right now, so those let in on this PC meanwhile are not counted here until it can.");
  });

  // readme27 W3: offline, Overview showed the backend's last count (2 / 3) while the desk turned members away by 3 / 3.
  it("while the backend is away, this PC's own count, the one the desk decides by, with what it is made of", () => {
    const w = occupancyWords({ count: 2, capacity: 3, at: 1_000, here: 3 }, 'full', true);
    expect(w).toMatchObject({ known: true, count: '3', of: '3' });
    expect(w.note).toBe("100% of the backend's capacity: full as far as this PC can count, so it turns members away");
    expect(countedHereWords('away', 2, '2:49 PM')).toBe(
      "Counted on this PC (not connected to the backend): the backend's last count (2 at 2:49 PM), plus those let in here since, less those whose 3-hour automatic check-out has come. It cannot see members leave, nor those let in at other PCs; the desk and kiosk here go by it.",
    );
    expect(countedHereWords('unanswered', 12, null)).toMatch(/^Counted on this PC \(the gym's system has not answered check-ins decided here\): the backend's last count \(12\), plus/);
  });
  // review28 V11: with this PC's count shown, "Above: the last believable figure" named a figure that was not above.
  it("after an impossible figure, says what the count above is: the backend's last believable one, or where this PC's starts", () => {
    expect(believedWords(false, 300, '2:49 PM')).toBe('Above: the last believable figure, from 2:49 PM.');
    expect(believedWords(true, 300, '2:49 PM')).toBe("The backend's last believable figure (300, from 2:49 PM) is where this PC's count above starts.");
    expect(believedWords(true, 300, null)).toBe("The backend's last believable figure (300) is where this PC's count above starts.");
  });
});

import { describe, expect, it } from 'vitest';
import { ACTIVITY_KINDS, type ActivityType } from '../../src/shared/activity';
import { ALLOW_REASONS, DENY_REASONS } from '../../src/shared/protocol';
import { AUDIT_WORDS, REASON_WORDS, WAITING_WORDS, waitingLine, foundInCopyWords, noMatchWords, activityWords, replyTime, slowBackendWords, auditWords, checkinDetail, eventWords, figure, noticeWords, overruledWords, decidedHereNote, plural, readCheckinDetail } from '../../src/shared/words';

const CODE = /^[a-z]+(-[a-z]+)+$|^[a-z]+\.[a-zA-Z]+$/; // "unknown-card", "pools.configure"

describe('staff words for every code that reaches a screen', () => {
  it('every verdict reason, activity kind and audit action has words, none of them a code', () => {
    for (const r of [...ALLOW_REASONS, ...DENY_REASONS]) expect(REASON_WORDS[r]).not.toMatch(CODE);
    for (const t of Object.keys(ACTIVITY_KINDS) as ActivityType[]) expect(activityWords(t), t).not.toMatch(CODE);
    for (const a of Object.keys(AUDIT_WORDS)) expect(auditWords(a), a).not.toMatch(CODE);
  });

  it('an analytics check-in event says its verdict in words and keeps the member', () => {
    expect(eventWords({ category: 'checkin', type: 'denied', detail: 'unknown-card 9000123456' })).toEqual({ what: 'Denied: card not recognised', detail: '9000123456' });
    expect(eventWords({ category: 'checkin', type: 'allowed', detail: 'expiring-soon Tara Ito' })).toEqual({ what: 'Allowed: membership expires soon', detail: 'Tara Ito' });
    expect(eventWords({ category: 'checkin', type: 'allowed', detail: 'ok' })).toEqual({ what: 'Allowed', detail: '' });
  });

  it('connection, pool, staff and console events read as words too', () => {
    expect(eventWords({ category: 'pool', type: 'breaker-open', detail: 'after 5 failures' }).what).toBe('Address paused after repeated failures');
    expect(eventWords({ category: 'user', type: 'pools.configure', detail: 'gym' }).what).toBe('Changed a connection pool');
    expect(eventWords({ category: 'performance', type: 'slow', detail: 'latency 2 ms' }).what).toBe('Console running slowly');
    // An older export's unknown kind is shown as recorded, not dropped.
    expect(eventWords({ category: 'user', type: 'something-new', detail: 'x' })).toEqual({ what: 'something-new', detail: 'x' });
  });

  it('a webhook notice reads as a title, not "firing backend"', () => {
    expect(noticeWords('test', 'test')).toBe('Test notice');
    expect(noticeWords('firing', 'backend')).toBe('Alert raised: Backend connection');
    expect(noticeWords('resolved', 'pool:front desk')).toBe('Alert over: Pool "front desk"');
    expect(noticeWords('digest', 'digest')).not.toMatch(CODE);
  });

  it('figures read with thousands separated and a counted unit singular for one', () => {
    expect(figure(62283, 'members')).toBe('62,283 members');
    expect(figure(62283, 'MB')).toBe('61 GB'); // a size, as size-words says every one
    expect(figure(1, 'wrong PINs')).toBe('1 wrong PIN');
    expect(figure(2, 'wrong PINs')).toBe('2 wrong PINs');
    expect(figure(1, 's')).toBe('1 s');
    expect(figure(12.345, 'ms lag')).toBe('12.3 ms lag');
    expect(plural(1, 'address', 'addresses')).toBe('1 address');
    expect(plural(1200, 'event')).toBe('1,200 events');
  });

  it("an override's note is kept with the check-in and read back as why; older details read as before", () => {
    const none = { memberId: '', card: '', staff: '', extra: '' };
    const stored = checkinDetail('override', 'Rosa Zhang', 'forgot her card, ID checked');
    expect(readCheckinDetail(stored)).toEqual({ reason: 'override', who: 'Rosa Zhang', note: 'forgot her card, ID checked', ...none });
    expect(eventWords({ category: 'checkin', type: 'allowed', detail: stored })).toEqual({ what: 'Allowed by staff override', detail: 'Rosa Zhang · why: forgot her card, ID checked' });
    expect(checkinDetail('duplicate', 'Rosa Zhang', null)).toBe('duplicate Rosa Zhang'); // as every older store holds it
    expect(readCheckinDetail('unknown-card 9999999999')).toEqual({ reason: 'unknown-card', who: '9999999999', note: '', ...none });
    expect(readCheckinDetail(checkinDetail('ok', 'A\tB', 'x\ty'))).toEqual({ reason: 'ok', who: 'A B', note: 'x y', ...none });
  });

  it('a check-in keeps its member id, card and who overrode (namesakes stay apart), and says who let them in', () => {
    const stored = checkinDetail('override', 'Rosa Zhang', 'forgot her card', { memberId: 'M00042', cardId: '4000104729', staff: 'front\tdesk', extra: null });
    expect(readCheckinDetail(stored)).toEqual({ reason: 'override', who: 'Rosa Zhang', note: 'forgot her card', memberId: 'M00042', card: '4000104729', staff: 'front desk', extra: '' });
    expect(eventWords({ category: 'checkin', type: 'allowed', detail: stored }).detail).toBe('Rosa Zhang · why: forgot her card · let in by front desk');
    const plain = checkinDetail('ok', 'Rosa Zhang', null, { memberId: 'M00043', cardId: '4000100001', staff: null, extra: null });
    expect(eventWords({ category: 'checkin', type: 'allowed', detail: plain })).toEqual({ what: 'Allowed', detail: 'Rosa Zhang' });
  });
});

describe('an offline decision the backend overruled, in staff words', () => {
  it('says who decided, what the backend says and what to do; nothing when they agree', () => {
    expect(overruledWords({ source: 'kiosk', allowed: false, reason: 'duplicate', decidedOffline: { allowed: true, reason: 'ok' } })).toBe(
      "Let in by the kiosk while the gym's system was slow or away — the backend says: already checked in. Check with the member.",
    );
    expect(overruledWords({ source: 'desk', allowed: true, reason: 'ok', decidedOffline: { allowed: false, reason: 'unknown-card' } })).toBe(
      "Turned away by the desk while the gym's system was slow or away (card not recognised) — the backend says: allowed, and counts them inside. Check with the member.",
    );
    expect(overruledWords({ source: 'kiosk', allowed: true, reason: 'expiring-soon', decidedOffline: { allowed: true, reason: 'ok' } })).toBeNull();
    expect(overruledWords({ source: 'kiosk', allowed: false, reason: 'duplicate' })).toBeNull();
  });

  it("the desk's verdict on a check-in decided here follows the backend's answer, in both directions (probe-walk14 W19/W7)", () => {
    const allowed = { allowed: true, reason: 'ok' } as const;
    const duplicate = { allowed: false, reason: 'duplicate' } as const;
    expect(decidedHereNote({ first: 'Hana' }).text).toMatch(/^Decided on this PC: the backend could not answer just now/);
    expect(decidedHereNote({ first: 'Hana', storageDown: true }).text).toBe("Decided on this PC: the gym's system is up but its database is not answering. Check-ins are kept and sent when it is back.");
    expect(decidedHereNote({ first: 'Hana' }, { decided: allowed, verdict: { allowed: true, reason: 'expiring-soon' } })).toEqual({ text: "Decided on this PC, and confirmed by the gym's system since.", tone: 'ok' });
    expect(decidedHereNote({ first: 'Hana' }, { decided: duplicate, verdict: allowed })).toEqual({ text: "The gym's system let Hana in after all: they are checked in, so no override is needed.", tone: 'changed' });
    expect(decidedHereNote({ first: 'Hana' }, { decided: allowed, verdict: { allowed: false, reason: 'frozen' } })).toEqual({ text: "The gym's system turned this down: membership frozen. This PC had let Hana in: check with them.", tone: 'changed' });
    expect(decidedHereNote({ first: null }, { decided: allowed, verdict: null }).text).toMatch(/could not be read/);
    for (const n of [decidedHereNote({ first: 'Hana' }, { decided: duplicate, verdict: allowed }), decidedHereNote({ first: 'Hana' }, { decided: allowed, verdict: duplicate })]) expect(n.text).not.toMatch(/offline decision|\(ok\)|\(duplicate\)/);
  });

  it('a turn-away decided here is recorded by the gym system, never "confirmed": it does not judge one again (readme23 R2)', () => {
    const duplicate = { allowed: false, reason: 'duplicate' } as const;
    // The backend records a PC's turn-away with the PC's reason: the same verdict back says nothing of its own judgement.
    expect(decidedHereNote({ first: 'Hana' }, { decided: duplicate, verdict: duplicate })).toEqual({
      text: "Turned away on this PC, and recorded so by the gym's system: it never lets in a member a PC turned away, so this is not its own check. If Hana should come in, check them in again.",
      tone: 'ok',
    });
    // Turned down for a reason of its own: that is its judgement.
    expect(decidedHereNote({ first: 'Hana' }, { decided: duplicate, verdict: { allowed: false, reason: 'frozen' } })).toEqual({ text: "The gym's system turned this down too: membership frozen.", tone: 'ok' });
    // While it waits, no confirmation is promised for a turn-away.
    expect(decidedHereNote({ first: 'Hana', turnedAway: true }).text).toBe("Decided on this PC: the backend could not answer just now. The turn-away is sent to it for its records when it can.");
    for (const n of [decidedHereNote({ first: 'Hana' }, { decided: duplicate, verdict: duplicate }), decidedHereNote({ first: 'Hana', turnedAway: true })]) expect(n.text).not.toMatch(/confirm/);
  });
});

// Walkthrough 14b B3/B8/B9: one reply time was "1526 ms", "1,518 ms a reply" and "about 1.5 s" on three screens;
// a quick backend read "1 ms a reply" beside "about 0 ms"; a slow one left "when the backend is back" on Waiting to send.
describe('one reply time, said alike everywhere', () => {
  it('the Health figure reads as the reasons beside it do; a quick reply is never "0 ms"', () => {
    expect(figure(1_518, 'ms a reply')).toBe('1.5 s a reply');
    expect(figure(1, 'ms a reply')).toBe('1 ms a reply');
    expect(replyTime(0.4)).toBe('1 ms');
    expect(replyTime(4)).toBe('4 ms');
    expect(replyTime(1_526)).toBe('1.5 s');
  });

  it('a slow backend is said with its reply time on Overview and on Waiting to send, which do not wait for it to be back', () => {
    expect(slowBackendWords(1_526)).toBe("Slow: the gym's system takes about 1.5 s a reply. Check-ins still work; nothing to do at the desk.");
    expect(WAITING_WORDS.slow(4_001, 2)).toBe("They are on their way: the gym's system is answering slowly (about 4 s a reply).");
    expect(WAITING_WORDS.slow(4_001, 2)).not.toMatch(/back/);
    expect(WAITING_WORDS.slow(4_001, 1)).toBe("It is on its way: the gym's system is answering slowly (about 4 s a reply).");
  });

  it('Waiting to send says check-ins, in the desk\'s words, with one of them "it"', () => {
    expect(`${waitingLine(1, '18 s', true)} ${WAITING_WORDS.away(1)}`).toBe("1 check-in waiting on this PC (18 s). It is sent by itself when the gym's system is back.");
    expect(`${waitingLine(3, '2 min', true)} ${WAITING_WORDS.away(3)}`).toBe("3 check-ins waiting on this PC, the oldest 2 min. They are sent by themselves when the gym's system is back.");
    expect(waitingLine(2, null, false)).toBe('2 messages waiting on this PC.');
    expect(WAITING_WORDS.storageDown(1)).toMatch(/: it is kept here and sent by itself when it is back\.$/);
  });

  it('a search from the copy on this PC says the backend could not answer while it is away, and that it is back once it is', () => {
    expect(foundInCopyWords(false)).toBe(' in the copy on this PC (the backend could not answer)');
    expect(foundInCopyWords(true)).toMatch(/while the backend could not answer; it is back now: press Find again/);
    expect(noMatchWords('Zed', true, true)).toMatch(/^No member's name matches "Zed" in the copy on this PC, while the backend could not answer .*the backend is back now: press Find again\. /);
    expect(noMatchWords('Zed', true)).not.toMatch(/back now/);
  });
});

import { describe, expect, it } from 'vitest';
import { runChecks, type HealthInputs } from '../../src/main/core/health/checks';
import { EMPTY_OUTBOX } from '../../src/shared/state';
import { healthyInputs } from '../helpers/health-inputs';
import { figure } from '../../src/shared/words';
import { AlertSettingsSchema, DEFAULT_ALERT_SETTINGS, StoredAlertSettingsSchema, overallStatus, worstHeadline, type CheckResult } from '../../src/shared/health';

const base = healthyInputs;
const by = (i: HealthInputs) => Object.fromEntries(runChecks(i).map((r) => [r.id, r])) as Record<'backend' | 'feed' | 'outbox' | 'stores' | 'disk' | 'process' | 'clock' | 'signins', CheckResult>;

describe('health checks, each a status and a reason in staff words', () => {
  // Like ssh with a private key others can read: the backend token file was used without a word.
  it('a backend token file other users can read: Backend connection says so with the chmod; its status stays the connection\'s', () => {
    const open = 'The backend token file /data/backend-token can be read by other users of this PC (mode 0644). To fix it, run: chmod 600 /data/backend-token';
    const i = base();
    expect(by(i).backend.status).toBe('ok');
    i.tokenOpenToOthers = open;
    // Its status is the connection's: amber would raise a Backend alert (with the rule at "degraded") that holds back
    // every feed, pool and outbox alert until the chmod (review22 L2).
    expect(by(i).backend).toMatchObject({ status: 'ok', reason: `All 2 backend instances answer. ${open}` });
    // Down for its own reason: still red, and the token's words are there too.
    i.connection.endpoints = i.connection.endpoints.map((e) => ({ ...e, state: 'closed' as const }));
    expect(by(i).backend.status).toBe('failing');
    expect(by(i).backend.reason).toContain(open);
  });

  // probe-time16b #6: "-172,800 s" stood beside "This PC's clock is 2 days behind the backend's".
  it('gives the clock check\'s figure in the words of its reason, not as signed seconds', () => {
    const i = base();
    const shown = (skew: number): string => {
      i.clockSkewMs = skew;
      const c = by(i).clock;
      return figure(c.value!, c.unit);
    };
    expect(shown(-172_800_000)).toBe('2 days behind');
    expect(shown(400 * 86_400_000)).toBe('400 days ahead');
    expect(shown(-180_000)).toBe('180 s behind');
    expect(shown(2_000)).toBe('2 s ahead');
    expect(shown(200)).toBe('in step');
  });

  it("warns two weeks ahead of a backend certificate running out, naming the address and the day", () => {
    const day = 86_400_000;
    const at = (left: number, down = false) => {
      const i = base();
      i.connection.endpoints = [{ url: 'wss://gym.example:9100', state: 'open', rttMs: 3, primary: true, nextTryInMs: null, certExpiresAt: i.now + left }, { url: 'wss://b:9100', state: down ? 'closed' : 'open', rttMs: 3, primary: false, nextTryInMs: null, certExpiresAt: i.now + 90 * day }];
      return by(i).backend;
    };
    expect(at(15 * day)).toMatchObject({ status: 'ok', reason: 'All 2 backend instances answer.' });
    expect(at(5 * day)).toMatchObject({ status: 'degraded', reason: "The backend's certificate at gym.example:9100 runs out on 11 Dec 2026, in 5 days: after that this PC cannot connect to it. Ask the gym's IT to renew it before then." });
    expect(at(3 * 3_600_000).reason).toContain('runs out on 6 Dec 2026, within a day:');
    expect(at(-day)).toMatchObject({ status: 'degraded', reason: "The backend's certificate at gym.example:9100 ran out on 5 Dec 2026: this PC stays connected only until its connections open again. Ask the gym's IT to renew it now." });
    // One made to last 3 days (renewed by a machine) is not warned of for all its life: in its last day only.
    const short = base();
    short.connection.endpoints = [{ url: 'wss://gym.example:9100', state: 'open', rttMs: 3, primary: true, nextTryInMs: null, certExpiresAt: short.now + 2 * day, certLifeMs: 3 * day }];
    expect(by(short).backend.status).toBe('ok');
    short.connection.endpoints[0]!.certExpiresAt = short.now + 0.5 * day;
    expect(by(short).backend.status).toBe('degraded');
    // Said beside an instance that is down, not instead of it.
    expect(at(5 * day, true).reason).toMatch(/^1 of 2 backend instances answer; check-ins still work\. The backend's certificate at gym\.example:9100 runs out/);
  });

  it('a roster copy made of members found with Find alone is not ok: the whole roster was never fetched', () => {
    const i = base();
    i.roster = { members: 1, synced: false, refused: null, notSaved: null };
    const r = runChecks(i).find((c) => c.id === 'roster')!;
    expect(r).toMatchObject({ status: 'degraded', reason: "Only 1 member found with Find is on this PC: the whole roster has not been fetched yet, so a check-in taken while the backend is unreachable turns other members away as unknown cards. The console is fetching it from the backend; if this lasts more than a few minutes, tell the gym's IT." });
    i.connection = { ...i.connection, state: 'offline', endpoints: i.connection.endpoints.map((e) => ({ ...e, state: 'closed' })) };
    expect(runChecks(i).find((c) => c.id === 'roster')!.reason).toMatch(/unknown cards\. It is fetched once the backend answers\.$/);
  });

  // review25 V3: what this start found lost is its own check, named by the start, so acknowledging it hides no
  // later Local databases trouble, and an acknowledgement from a run before is not this start's.
  it('what the start found lost: its own check, one per start, apart from Local databases', () => {
    const i = base();
    expect(runChecks(i).find((c) => c.kind === 'lost')).toMatchObject({ id: 'lost', status: 'ok' });
    i.lostAtStart = { reason: 'console.db-wal was missing at this start.', at: 1_700_000_000_000 };
    expect(runChecks(i).find((c) => c.kind === 'lost')).toMatchObject({ id: 'lost:1700000000000', label: 'Check-ins from before this start', status: 'degraded', reason: 'console.db-wal was missing at this start.' });
    expect(runChecks(i).find((c) => c.id === 'stores')!.status).toBe('ok');
    i.stores = { ...i.stores, writeFailing: 'Saving fails: the disk is full.' };
    expect(runChecks(i).find((c) => c.id === 'stores')).toMatchObject({ status: 'failing', reason: 'Saving fails: the disk is full.' });
    expect(runChecks(i).find((c) => c.kind === 'lost')!.status).toBe('degraded');
    expect(runChecks({ ...i, review: true }).some((c) => c.kind === 'lost')).toBe(false);
    // review26 V9: acknowledged, it is still said, but no longer holds the whole console Degraded all run.
    i.lostAtStart = { ...i.lostAtStart, ackedBy: 'IT' };
    expect(runChecks(i).find((c) => c.kind === 'lost')).toMatchObject({ id: 'lost:1700000000000', status: 'ok', reason: 'console.db-wal was missing at this start. Acknowledged by IT.' });
  });

  // Seen on a full disk: "No copy of the members list on this PC yet: it is fetched once the backend answers", beside a
  // backend that answered, whose roster the disk would not take.
  it('no roster copy while the backend answers: being fetched, or, when the disk refused it, that', () => {
    const i = base();
    i.roster = { members: 0, synced: false, refused: null, notSaved: null };
    expect(runChecks(i).find((c) => c.id === 'roster')).toMatchObject({ status: 'unknown', reason: "No copy of the members list on this PC yet: the console is fetching it from the backend; if this lasts more than a few minutes, tell the gym's IT." });
    i.roster.notSaved = "this PC's disk is full";
    expect(runChecks(i).find((c) => c.id === 'roster')).toMatchObject({
      status: 'failing',
      reason: "No copy of the members list on this PC: the backend sent it, but it could not be saved (this PC's disk is full), so a check-in taken while the backend is unreachable knows no member and turns each away as an unknown card. Tell the gym's IT; the console saves it at its next sync once the disk takes it.",
    });
    i.roster.members = 40;
    expect(runChecks(i).find((c) => c.id === 'roster')).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/^The copy of the roster on this PC \(40 members\) could not be updated: the backend sent it, but it could not be saved \(this PC's disk is full\)/) });
    i.connection = { ...i.connection, state: 'offline', endpoints: i.connection.endpoints.map((e) => ({ ...e, state: 'closed' })) };
    i.roster = { members: 0, synced: false, refused: null, notSaved: null };
    expect(runChecks(i).find((c) => c.id === 'roster')!.reason).toBe('No copy of the members list on this PC yet: it is fetched once the backend answers.');
  });

  it('says why the speed is unknown: not connected, or connected with nothing timed yet', () => {
    const i = base();
    i.connection.endpoints = i.connection.endpoints.map((e) => ({ ...e, rttMs: null }));
    expect(runChecks(i).find((c) => c.id === 'speed')?.reason).toBe('The backend has not answered anything the console times yet, so how fast it answers cannot be judged.');
    i.connection = { ...i.connection, state: 'offline', endpoints: i.connection.endpoints.map((e) => ({ ...e, state: 'closed' })) };
    expect(runChecks(i).find((c) => c.id === 'speed')?.reason).toBe('No backend instance is connected, so how fast it answers cannot be judged.');
  });

  it('all well is ok everywhere', () => {
    const checks = runChecks(base());
    expect(checks.map((c) => c.status).every((s) => s === 'ok')).toBe(true);
    expect(overallStatus(checks.map((c) => c.status))).toBe('ok');
    expect(overallStatus(['ok', 'unknown'])).toBe('ok'); // a quiet clock does not hide that all else is well
    expect(overallStatus(['unknown', 'degraded'])).toBe('degraded');
    expect(overallStatus(['unknown'])).toBe('unknown');
    expect(overallStatus([])).toBe('unknown');
  });

  it('backend: instances that answer but whose shared database is down are failing, in words', () => {
    const i = base();
    i.connection.state = 'degraded';
    i.connection.cause = { kind: 'storage-unavailable', text: 'The backend is running, but it cannot reach its database (Redis).', next: 'Nothing is lost.', nextHere: '', detail: '' };
    expect(by(i).backend).toMatchObject({ status: 'failing', reason: 'The backend is running, but it cannot reach its database (Redis). Nothing is lost.' });
  });

  it('backend: one instance down is degraded, all down is failing with the cause, the first connect is not yet an outage', () => {
    const i = base();
    i.connection.endpoints[1]!.state = 'closed';
    expect(by(i).backend).toMatchObject({ status: 'degraded', reason: '1 of 2 backend instances answer; check-ins still work.' });
    i.connection.endpoints[0]!.state = 'closed';
    i.connection.cause = { kind: 'refused', text: 'Nothing is listening there.', next: 'Start the backend.', nextHere: 'Start the backend there.', detail: '' };
    expect(by(i).backend).toMatchObject({ status: 'failing', reason: 'No backend instance is reachable (0 of 2). Nothing is listening there. Start the backend.' });
    const starting = base();
    starting.connection.endpoints.forEach((e) => (e.state = 'connecting'));
    expect(by(starting).backend.status).toBe('unknown');
  });

  it('the old banners are checks now: a damaged store, a disk that cannot be written, low disk', () => {
    const i = base();
    i.stores.damaged = 'The analytics database was damaged and set aside.';
    expect(by(i).stores).toMatchObject({ status: 'degraded', reason: i.stores.damaged });
    // readme24 R4: analytics not being saved was "Saving works".
    i.stores.damaged = null;
    i.stores.analyticsUnsaved = "Analytics are not being saved: this PC's disk is full. Check-ins are not affected; 1 event waits in memory and is saved once it can be. Tell the gym's IT.";
    expect(by(i).stores).toMatchObject({ status: 'degraded', reason: i.stores.analyticsUnsaved });
    i.stores.writeFailing = 'Cannot write the outbox to disk (SQLITE_FULL).';
    expect(by(i).stores.status).toBe('failing');
    i.freeDiskMb = 300;
    expect(by(i).disk).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/^Low disk space: 300 MB free/) });
    expect(by(i).disk.reason).toMatch(/Tell the gym's IT to free some space soon\.$/);
    i.freeDiskMb = 50;
    // Said to the front desk too: who to tell, and that check-ins go on (readme24 R3), never "Free some space now".
    expect(by(i).disk).toMatchObject({ status: 'failing', reason: "This PC's disk is almost full: 50 MB free where the console keeps its data. Check-ins still work; tell the gym's IT now, so they free space before the console can no longer save them." });
    // Sized as Analytics' Storage card says it, not "64,692 MB".
    i.freeDiskMb = 64_692;
    expect(by(i).disk).toMatchObject({ status: 'ok', reason: '63 GB free.' });
  });

  it('a burst of wrong PINs is a security alert; a clock minutes off is failing; a stalled loop is failing', () => {
    const i = base();
    i.failedSignIns.count = 6;
    expect(by(i).signins).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/6 wrong PINs in the last 10 min/) });
    i.failedSignIns.count = 20;
    expect(by(i).signins.status).toBe('failing');
    // probe-hostile14 P1: one guess per long wait keeps the count in the window small, but it is still someone guessing.
    i.failedSignIns = { count: 1, windowMin: 10, guessing: { role: 'manager', wrong: 27 } };
    expect(by(i).signins).toMatchObject({ status: 'failing', reason: expect.stringMatching(/^Someone keeps trying the manager PIN: 27 wrong since it was last typed right/) });
    i.clockSkewMs = -180_000;
    expect(by(i).clock).toMatchObject({ status: 'failing', reason: expect.stringMatching(/180 s behind the backend's/) });
    i.clockSkewMs = null;
    expect(by(i).clock.status).toBe('unknown');
    i.process.lagMs = 1_500;
    expect(by(i).process.status).toBe('failing');
  });

  // Staff read "144 MB memory, 13 ms lag" and "Writable; DB 18.5 MB, WAL 4.9 MB" as developer talk.
  it('memory, responsiveness and the databases in words: no "lag", "WAL" or "checkpoint"', () => {
    const i = base();
    i.process = { rssMb: 143.6, lagMs: 13.2 };
    i.stores = { ...i.stores, dbMb: 18.52, walMb: 4.9, lastCheckpointAgoMs: 180_000 };
    const { process, stores } = by(i);
    expect(process).toMatchObject({ reason: 'Uses 144 MB of memory; responds within 13 ms.', unit: 'ms to respond' });
    expect(stores).toMatchObject({ reason: 'Saving works; the databases take 18.5 MB, plus 4.9 MB of recent changes not yet written into them (last done 3 min ago).', unit: 'MB of recent changes' });
    i.process.lagMs = 1_500;
    expect(by(i).process.reason).toBe('The console is stalling: it takes 1,500 ms to respond.');
    for (const c of [process, stores, by(i).process]) expect(`${c.reason} ${c.unit}`).not.toMatch(/\blag\b|WAL\b|checkpoint|Writable|\bDB\b/);
  });

  it('a pool: its healthy share and open breakers; not judged while its first sockets open', () => {
    const sock = (state: 'open' | 'connecting' | 'closed') => ({ id: 's', endpoint: 'ws://a:1', state, score: 0, inputs: { latencyMs: null, errorRate: 0, uptimeS: 0, recentDisconnects: 0 }, inRotation: false, inFlight: 0, rttMs: null, routed: 0, subscribed: false });
    const pool = (ratio: number, breaker: 'closed' | 'open', state: 'open' | 'connecting' | 'closed', cause: null | 'refused' = null) =>
      ({ config: { name: 'gym' }, healthRatio: ratio, sockets: [sock(state)], endpoints: [{ url: 'ws://a:1', breaker, failures: 0, nextRetryInMs: null, cause: cause && { kind: cause, text: 'Nothing is listening there.', next: 'Start the backend.', detail: '' } }] }) as unknown as HealthInputs['pools'][number];
    const i = base();
    i.pools = [pool(0, 'closed', 'connecting')];
    expect(runChecks(i)[1]).toMatchObject({ id: 'pool:gym', label: 'Pool "gym"', status: 'unknown' });
    i.pools = [pool(0, 'open', 'closed', 'refused')];
    expect(runChecks(i)[1]).toMatchObject({ status: 'failing', reason: 'None of its sockets are healthy. After repeated failures the console rests a:1 for a while before trying again. Nothing is listening there. Start the backend.' });
    i.pools = [pool(0.75, 'closed', 'open')];
    expect(runChecks(i)[1]).toMatchObject({ status: 'ok', value: 75 });
  });

  it('a pool answering slowly is amber "Slow backend", not red: its open sockets still carry check-ins; red is only when none can', () => {
    const sock = (state: 'open' | 'closed', latencyMs: number | null, errorRate = 0) => ({ id: 's', endpoint: 'ws://a:1', state, score: 0, inputs: { latencyMs, errorRate, uptimeS: 60, recentDisconnects: 0 }, inRotation: false, inFlight: 0, rttMs: latencyMs, routed: 0, subscribed: false });
    const pool = (...sockets: ReturnType<typeof sock>[]) => ({ config: { name: 'gym' }, healthRatio: 0, sockets, endpoints: [{ url: 'ws://a:1', breaker: 'closed', failures: 0, nextRetryInMs: null, cause: null }] }) as unknown as HealthInputs['pools'][number];
    const i = base();
    // The probe's backend: every reply 1.2 s late, every socket out of rotation, check-ins working.
    i.pools = [pool(sock('open', 1_233), sock('open', 1_201))];
    const slow = runChecks(i)[1]!;
    expect(slow).toMatchObject({ status: 'degraded', headline: 'Slow backend' });
    // One place per fact: the speed itself is Backend speed's line, not repeated here.
    expect(slow.reason).toBe('No socket is in rotation: its 2 open sockets answer slowly, and the console still sends check-ins on them. How slow: see Backend speed.');
    const speed = runChecks(i).find((c) => c.id === 'speed')!;
    expect(speed.reason).toMatch(/replies take about 1\.2 s/);
    expect(slow.reason).not.toMatch(/ms|1\.2 s|IT/);
    expect(overallStatus(runChecks(i).map((c) => c.status))).toBe('degraded');
    expect(worstHeadline('degraded', runChecks(i))).toBe('Slow backend');
    // Open but failing their requests (a backend that times out): nothing carries a check-in, red.
    i.pools = [pool(sock('open', 1_500, 0.8), sock('closed', null))];
    expect(runChecks(i)[1]).toMatchObject({ status: 'failing' });
    expect(runChecks(i)[1]!.headline).toBeUndefined();
    // Nothing open at all: red, as before.
    i.pools = [pool(sock('closed', null))];
    expect(runChecks(i)[1]).toMatchObject({ status: 'failing' });
  });

  it("speed: a backend answering in 1.5 s says how slow, for how long and what still works, in staff words", () => {
    const sock = (latencyMs: number) => ({ id: 's', endpoint: 'ws://a:1', state: 'open', score: 20, inputs: { latencyMs, errorRate: 0, uptimeS: 60, recentDisconnects: 0 }, inRotation: false, inFlight: 0, rttMs: latencyMs, routed: 0, subscribed: false });
    const pool = (...sockets: ReturnType<typeof sock>[]) => ({ config: { name: 'gym' }, healthRatio: 0, sockets, endpoints: [{ url: 'ws://a:1', breaker: 'closed', failures: 0, nextRetryInMs: null, cause: null }] }) as unknown as HealthInputs['pools'][number];
    const speed = (i: HealthInputs) => runChecks(i).find((c) => c.id === 'speed')!;
    const i = base();
    i.pools = [pool(sock(1_520), sock(1_501))];
    i.slowForMs = 6 * 60_000;
    // Two sockets to one instance: it is as slow as the slower (the one check-ins go on hears their replies).
    expect(speed(i)).toMatchObject({ status: 'degraded', label: 'Backend speed', headline: 'Slow backend', value: 1_520 });
    expect(speed(i).reason).toBe(
      "The gym's system has been answering slowly for 6 min: replies take about 1.5 s, while this console keeps up. Check-ins still work: the desk decides them on this PC at once and sends them on; a door release takes longer to confirm. Nothing to do at the desk; tell IT if it lasts.",
    );
    expect(worstHeadline('degraded', runChecks(i))).toBe('Slow backend');
    // The console's own delay makes every reply late: then it is the console, and this check does not blame the gym's system.
    i.process.lagMs = 450;
    expect(speed(i)).toMatchObject({ status: 'ok' });
    expect(speed(i).reason).toMatch(/this console is slow itself/);
    i.process.lagMs = 5;
    i.pools = [pool(sock(40))];
    i.slowForMs = null;
    expect(speed(i)).toMatchObject({ status: 'ok', reason: "The gym's system answers in about 40 ms." });
    // Of two instances, the quicker is how fast the gym's system answers.
    i.pools = [pool(sock(1_520), { ...sock(40), endpoint: 'ws://b:1' })];
    expect(speed(i)).toMatchObject({ status: 'ok', value: 40 });
  });

  it('the header names the worst trouble only when the worst checks agree on one', () => {
    expect(worstHeadline('degraded', [{ status: 'degraded', headline: 'Slow backend' }, { status: 'ok' }])).toBe('Slow backend');
    // Something else is as bad and has no name: the status word, not half the story.
    expect(worstHeadline('degraded', [{ status: 'degraded', headline: 'Slow backend' }, { status: 'degraded' }])).toBeUndefined();
    // A slow backend beside a red check: red says it, not "Slow backend".
    expect(worstHeadline('failing', [{ status: 'degraded', headline: 'Slow backend' }, { status: 'failing' }])).toBeUndefined();
  });

  it('feed lag and the outbox backlog', () => {
    const i = base();
    i.feed.head = 700;
    expect(by(i).feed).toMatchObject({ status: 'failing', value: 690, reason: "The live lists are 690 events behind the gym's system and not catching up." });
    // Far behind while applying events (a burst, a replay after a break): slow, not broken, and said so.
    i.feed.catchingUp = true;
    expect(by(i).feed).toMatchObject({ status: 'degraded', value: 690, reason: "Catching up with the gym's system: 690 events to go. The live lists show the newest once it is done." });
    i.feed.catchingUp = false;
    i.outbox = { ...EMPTY_OUTBOX, queued: 4, oldestAgeMs: 90_000, dead: 2 };
    expect(by(i).outbox).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/waited 90 s\. 2 messages could not be delivered/) });
    // Waiting on a backend that takes messages and never answers: said why, even before the age tells.
    const why = 'The backend accepts messages but does not answer them.';
    i.outbox = { ...EMPTY_OUTBOX, queued: 2, inFlight: 1, oldestAgeMs: 12_000, why };
    expect(by(i).outbox).toMatchObject({ status: 'degraded', reason: `3 waiting. ${why}` });
    // probe-hostile19 G5: sent and not yet taken is waiting, not "sent".
    i.outbox = { ...EMPTY_OUTBOX, queued: 0, inFlight: 6, oldestAgeMs: 20_000 };
    expect(by(i).outbox).toMatchObject({ status: 'ok', reason: "6 waiting for the gym's system to take them, the oldest 20 s." });
    i.outbox = { ...EMPTY_OUTBOX };
    expect(by(i).outbox.reason).toBe('Everything has been sent.');
  });

  // probe-hostile19 G2, G4: "Up to date" before any picture of who is in had landed.
  it('a feed that has not had its first picture says so; snapshots that keep failing are degraded', () => {
    const i = base();
    i.feed = { ...i.feed, synced: false };
    expect(by(i).feed).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/^Waiting for the gym's system's first picture of who is in/) });
    i.feed = { ...i.feed, synced: false, failedSnapshots: 3 };
    expect(by(i).feed).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/could not send its picture of who is in, try after try: the live list and reports have not started\./) });
    i.feed = { ...i.feed, synced: true, failedSnapshots: 2 };
    expect(by(i).feed.reason).toMatch(/the live list stays as it was and misses check-ins since\./);
  });

  // probe-hostile17 F6: 1,000,000 inside of 300 beside "All systems OK".
  it('an occupancy no gym holds is a degraded feed, in the words the Occupancy card says', () => {
    const i = base();
    i.feed.wrongOccupancy = "The gym's system reports 1,000,000 inside, far more than its capacity of 300: its count is wrong, so it is not shown. Tell IT.";
    expect(by(i).feed).toMatchObject({ status: 'degraded', reason: i.feed.wrongOccupancy });
    expect(by(base()).feed.status).toBe('ok');
  });

  it('a review PC (no backend by design) judges only what it has: no "not known" backend, feed, queue, roster or clock', () => {
    const i = { ...base(), connection: { ...base().connection, state: 'offline' as const, endpoints: [] }, pools: [], clockSkewMs: null, roster: { members: 0, synced: false, refused: null, notSaved: null }, review: true };
    expect(runChecks(i).map((c) => c.kind)).toEqual(['stores', 'disk', 'process', 'signins']);
    expect(runChecks({ ...i, review: false }).map((c) => c.kind)).toContain('roster');
  });

  it('one backend restart caught up with is news, not a degraded feed; said without jargon', () => {
    const i = base();
    i.feed.continuityLostRecently = 1;
    i.feed.renumberedRecently = 1;
    i.feed.restartedAt = new Date(2025, 2, 3, 6, 6).getTime();
    const f = by(i).feed;
    expect(f).toMatchObject({ status: 'ok', reason: "The gym's system was restarted at 6:06 AM; this PC caught up with it." });
    expect(f.reason).not.toMatch(/Redis|numbering|resync|replay/i);
  });

  it('restarts again and again, and events really missed, are trouble, counted as people count', () => {
    const i = base();
    i.feed.continuityLostRecently = 2;
    i.feed.renumberedRecently = 2;
    expect(by(i).feed).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/started its event log over twice in the last 10 min.*Tell IT if it keeps happening\.$/) });
    expect(by(i).feed.reason).not.toMatch(/Redis/);
    // Events lost in a break: said so, whatever else happened.
    i.feed.continuityLostRecently = 3;
    i.feed.renumberedRecently = 1;
    expect(by(i).feed).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/could not send again the events this PC missed during a break, twice in the last 10 min: check-ins from those moments are missing/) });
    i.feed.renumberedRecently = 0;
    expect(by(i).feed.reason).toMatch(/missed during a break, 3 times in the last 10 min/);
  });
});

describe('alert rules saved before the roster check existed', () => {
  it('keep what the manager set; the new check takes its default rule', () => {
    const { roster: _new, ...older } = DEFAULT_ALERT_SETTINGS.rules;
    const saved = { rules: { ...older, backend: { ...older.backend, severity: 'warning' } }, maxPerHour: 7 };
    expect(AlertSettingsSchema.safeParse(saved).success).toBe(false);
    const read = StoredAlertSettingsSchema.parse(saved);
    expect(read.rules.backend.severity).toBe('warning');
    expect(read.maxPerHour).toBe(7);
    expect(read.rules.roster).toEqual(DEFAULT_ALERT_SETTINGS.rules.roster);
  });
});

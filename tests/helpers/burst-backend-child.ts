// A gym backend in its own process, for the event-burst test: the console's backlog and the backend's answers then
// run on two event loops, as in the field. Prints `{"urls":[…],"token":"…"}` once listening; on a stdin line
// `flood N` appends N valid check-in events (long names) a thousand at a time, its loop free to answer between them (a replay of
// its log), then prints `flooded HEAD`; `checkins` prints how many check-ins it was sent (distinct request ids, then sends, then those that came on the
// flooded socket with over 1 MB of the flood still queued in front of their answer, then the longest its loop was held up, ms).
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startHostileBackend, type WireMember } from './hostile-backend';

const members = JSON.parse(process.argv[2] ?? '[]') as WireMember[];
// Its check-ins' events streamed as a real backend streams them: each left as a hole, the console's replay of all
// after it (tens of thousands of events in a burst) held this backend's loop 0.2–0.35 s a time, quiet machine or not.
const hb = await startHostileBackend({ instances: 1, members, streamCheckins: true });
// How long this backend's own loop was held up (by its own work or by a machine too busy to run it): answers that
// late are the backend's, and the console may rightly call it slow or silent.
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();
process.stdout.write(`${JSON.stringify({ urls: hb.urls, token: hb.token })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.split(' ');
  if (cmd === 'flood') {
    stalls.reset();
    // Names as long as the protocol allows: frames of about 450 bytes, as a busy gym's events are with every field set.
    const name = `Member ${'x'.repeat(190)}`;
    for (let left = Number(arg); left > 0; left -= 1_000) {
      for (let i = 0; i < Math.min(1_000, left); i++) {
        const m = members[i % members.length]!;
        hb.emitEvent({ kind: 'checkin', cardId: m.cardId, member: { id: m.id, name, status: 'active' }, verdict: { allowed: false, reason: 'duplicate' }, source: 'door', occupancy: 1 }, Date.now());
      }
      await new Promise((r) => setImmediate(r));
    }
    process.stdout.write(`flooded ${hb.head}\n`);
  } else if (cmd === 'checkins') process.stdout.write(`checkins ${hb.checkinIds.size} sent ${hb.checkins.length} behind ${hb.checkinsBehindFeed} stalled ${Math.round(stalls.max / 1e6)}\n`);
}
await hb.close();

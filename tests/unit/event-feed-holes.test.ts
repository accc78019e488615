import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock';
import { FeedModel, feedOver } from '../helpers/feed-model';

/** Two instances of one log, synced, with events 1–`n` applied. */
async function synced(n = 2) {
  const model = new FeedModel(2);
  const clock = new FakeClock();
  const rig = feedOver(model, clock);
  await rig.run(100);
  model.emit(n);
  await rig.run(100);
  expect(rig.feed.applied).toBe(n);
  return { model, clock, ...rig };
}

const seqs = (applied: { seq: number }[]) => applied.map((e) => e.seq);

describe('a hole in seq that no replay fills (a seq the backend skipped for good)', () => {
  it('is asked for in rounds that back off, then counted lost; the feed resumes from the backend head', async () => {
    const { model, feed, applied, run } = await synced(2);
    const lost: string[] = [];
    feed.on('continuityLost', (why) => lost.push(why));
    const subs = model.subs;
    model.skip(6);
    model.emit(1); // seq 9: every replay from 2 starts there
    await run(50);
    expect(model.subs - subs).toBe(2); // asked at once, on both instances
    await run(500);
    expect(model.subs - subs).toBe(4); // again 0.5 s later
    await run(1_000);
    expect(model.subs - subs).toBe(6); // then 1 s later
    expect(lost).toEqual([]);
    await run(2_000);
    // The fourth round's replays skip it too: lost, and a snapshot shows the present.
    expect(lost).toEqual(['gap']);
    expect(feed.applied).toBe(9);
    expect(model.subs - subs).toBe(10);
    await run(20_000);
    expect(model.subs - subs).toBe(10);
    model.emit(1);
    await run(100);
    expect(seqs(applied)).toEqual([1, 2, 10]);
  });

  it('a replay that promises events and never sends them is lost too, in bounded time', async () => {
    const { model, feed, run } = await synced(3);
    model.setFaults(0, { subbedOffset: 4 });
    model.setFaults(1, { subbedOffset: 4 });
    feed.resubscribe();
    await run(7_000);
    expect(feed.continuityLost).toBe(0);
    await run(1_000);
    expect(feed.continuityLost).toBe(1);
    const subs = model.subs;
    await run(60_000);
    expect(model.subs).toBe(subs);
    expect(feed.continuityLost).toBe(1);
  });

  it('a live skip a replay fills is no loss, however the frames were dropped', async () => {
    const { model, feed, applied, run } = await synced(2);
    model.setFaults(0, { dropEvery: 2 });
    model.setFaults(1, { dropEvery: 2 });
    for (let i = 0; i < 20; i++) {
      model.emit(1);
      await run(300);
    }
    model.honest();
    await run(3_000);
    expect(feed.continuityLost).toBe(0);
    expect(seqs(applied)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('nobody answers the replays: what is held is let go after the hold time, and the hole is lost after two', async () => {
    const { model, feed, run } = await synced(2);
    model.setFaults(0, { silent: true });
    model.setFaults(1, { silent: true });
    model.skip(1);
    model.emit(1); // seq 4 arrives live and waits for 3, which nobody sends
    await run(9_000);
    expect([feed.heldTooLong, feed.continuityLost]).toEqual([0, 0]);
    await run(2_000);
    expect([feed.heldTooLong, feed.continuityLost]).toEqual([1, 0]);
    await run(10_000);
    expect(feed.continuityLost).toBe(1);
    expect(feed.applied).toBe(4);
    const subs = model.subs;
    await run(60_000);
    expect(model.subs).toBe(subs);
  });
});

describe('a backend whose pong heads are wrong', () => {
  it('ahead of its stream: its replays are believed, it counts as breaking the protocol once per socket, and no lag is reported', async () => {
    const { model, feed, run } = await synced(3);
    model.setFaults(0, { pongOffset: 1_000_000 });
    model.setFaults(1, { pongOffset: 1_000_000 });
    await run(1_000);
    expect(model.contradictions).toBe(2);
    expect(feed.head).toBeLessThanOrEqual(feed.applied);
    const subs = model.subs;
    await run(30_000); // 120 beats
    expect(model.subs).toBe(subs);
    expect(feed.head).toBeLessThanOrEqual(feed.applied);
    expect(feed.continuityLost).toBe(0);
    model.emit(2);
    await run(100);
    expect(feed.applied).toBe(5);
  });

  it('going back in the same numbering: asked once, then no longer believed', async () => {
    const { model, feed, run } = await synced(3);
    await run(500); // pongs at 3
    model.setFaults(1, { pongOffset: -2 });
    await run(1_000);
    expect(model.contradictions).toBe(1);
    const subs = model.subs;
    await run(30_000);
    expect(model.subs).toBe(subs);
    expect(feed.continuityLost).toBe(0);
  });
});

describe('continuity lost again and again', () => {
  it('every replay answered with a gap: resyncs back off instead of following each answer at once', async () => {
    const { model, feed, run } = await synced(2);
    model.setFaults(0, { gap: true });
    model.setFaults(1, { gap: true });
    const snapshots = model.snapshots;
    feed.resubscribe();
    await run(60_000);
    // At once, then after 1, 2, 4, 8, 16 and 30 s: each checked by a snapshot at once and taken by another after the wait.
    expect(feed.continuityLost).toBeLessThanOrEqual(8);
    expect(model.snapshots - snapshots).toBeLessThanOrEqual(16);
    model.honest();
    model.emit(1);
    await run(31_000);
    expect(feed.applied).toBe(3);
  });

  it('a snapshot behind what was applied, in the same numbering, never makes the feed apply events twice', async () => {
    const { model, feed, applied, run } = await synced(8);
    model.setFaults(0, { gap: true, snapBehind: 5 });
    model.setFaults(1, { gap: true, snapBehind: 5 });
    feed.once('continuityLost', () => {
      for (const i of [0, 1]) model.setFaults(i, { gap: false }); // one loss; its snapshot stays behind
    });
    feed.resubscribe();
    await run(200);
    expect(feed.continuityLost).toBe(1);
    expect(feed.applied).toBe(8);
    model.honest();
    model.emit(2);
    await run(5_000);
    expect(seqs(applied)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

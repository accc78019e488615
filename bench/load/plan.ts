/** The load scenarios (issue #16, from the Phase 1 report), full and CI-sized. Pure data: no I/O. */
export interface LoadPlan {
  name: string;
  /** Sockets: ours holds them in one pool; the peer opens one plain ws each. */
  connections: number;
  /** Virtual users, one per connection, each sending `msgs` actions `gapMs` apart (0: all at once). */
  msgs: number;
  gapMs: number;
  /** The pool tuned for many sockets: slower heartbeat, least-connections, a longer handshake deadline. */
  tuned: boolean;
  /** The report's success bar, if it gives one. */
  bar: number | null;
}

const plan = (name: string, connections: number, msgs: number, gapMs: number, bar: number | null, tuned = false): LoadPlan => ({ name, connections, msgs, gapMs, tuned, bar });

export function loadPlans(quick: boolean): LoadPlan[] {
  return quick
    ? [plan('basic', 20, 5, 50, 0.95), plan('high-concurrency', 50, 5, 50, 0.9), plan('queue-stress', 20, 10, 0, null), plan('sustained', 30, 5, 1_000, null), plan('tuned', 40, 5, 50, null, true)]
    : [
        plan('basic', 100, 20, 50, 0.95),
        plan('high-concurrency', 500, 20, 50, 0.9),
        plan('queue-stress', 200, 50, 0, null),
        // 300 users at one message a second for 2 minutes: 18,000 a minute, past the report's 10,000+.
        plan('sustained', 300, 120, 1_000, null),
        plan('tuned', 400, 20, 50, null, true),
      ];
}

/** One console, 1,000 pooled sockets across the instances, 10,000 messages a second in all. */
export function console1kPlan(quick: boolean): LoadPlan {
  return quick ? plan('console-1k', 100, 50, 100, null, true) : plan('console-1k', 1_000, 300, 100, null, true);
}

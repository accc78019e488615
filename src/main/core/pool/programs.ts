import type { FailureCause } from '../../../shared/pools';

/**
 * What the console knows of each backend program behind one address, keyed by the instance its welcome names ('' when
 * it names none). Behind a load balancer one address reaches several programs: one stuck while its sibling answers is
 * found, and only its sockets leave rotation (review19 M1).
 */
interface Program {
  /** When it last answered on any of the console's sockets, after a welcome (mono). */
  heardAt: number;
  /** The latest send time (mono) of a ping or request it answered, on any socket: proof it was alive then. */
  provenAt: number;
  /** Found stuck (a socket closed for its silence, its WebSocket answering): why, until it answers anything. */
  stuck: FailureCause | null;
  /** Open sockets whose welcome named it. */
  sockets: number;
}

/** A hostile backend could name a new instance in every welcome: records no socket holds go past this many. */
const MAX_PROGRAMS = 16;

export class Programs {
  private readonly known = new Map<string, Program>();
  private stuckCount = 0;
  /**
   * Learned across the address's sockets and reconnects (review20 M2): a program here has answered a protocol ping;
   * and one sent other frames while a ping of its socket was owed past the deadline (an old build, or a proxy that
   * filters pings). Only a program seen doing the second and never the first is spared judging by the pings it owes.
   */
  private pingsAnswered = false;
  private pingsIgnored = false;

  heardAt(key: string): number {
    return this.known.get(key)?.heardAt ?? -Infinity;
  }

  provenAt(key: string): number {
    return this.known.get(key)?.provenAt ?? -Infinity;
  }

  /** `key`'s program answered something sent at `sentAt` (mono). */
  proved(key: string, sentAt: number): void {
    const p = this.known.get(key);
    if (p && sentAt > p.provenAt) p.provenAt = sentAt;
  }

  isStuck(key: string): boolean {
    return (this.known.get(key)?.stuck ?? null) !== null;
  }

  get anyStuck(): boolean {
    return this.stuckCount > 0;
  }

  /** Why the first program behind the address known stuck is (null: none is). */
  get firstStuck(): FailureCause | null {
    if (this.stuckCount === 0) return null;
    for (const p of this.known.values()) if (p.stuck) return p.stuck;
    return null;
  }

  /** A socket's welcome named `key`. */
  opened(key: string): void {
    this.of(key).sockets++;
  }

  /** A socket whose welcome named `key` closed: a record nobody holds is let go, a stuck one kept (within a bound). */
  closed(key: string): void {
    const p = this.known.get(key);
    if (!p) return;
    p.sockets = Math.max(0, p.sockets - 1);
    if (p.sockets === 0 && !p.stuck) this.known.delete(key);
    if (this.known.size <= MAX_PROGRAMS) return;
    for (const [k, q] of this.known) {
      if (this.known.size <= MAX_PROGRAMS) break;
      if (q.sockets > 0) continue;
      if (q.stuck) this.stuckCount--;
      this.known.delete(k);
    }
  }

  /** `key`'s program was found stuck; says whether that is news. */
  markStuck(key: string, why: FailureCause): boolean {
    const p = this.of(key);
    if (p.stuck) return false;
    p.stuck = why;
    this.stuckCount++;
    return true;
  }

  /** `key`'s program answered at `at` (mono); says whether that ends a stuck spell. */
  answered(key: string, at: number): boolean {
    const p = this.of(key);
    p.heardAt = at;
    if (!p.stuck) return false;
    p.stuck = null;
    this.stuckCount--;
    return true;
  }

  pingAnswered(): void {
    this.pingsAnswered = true;
  }

  pingsOwedWhileTalking(): void {
    this.pingsIgnored = true;
  }

  /** Programs here are seen to leave protocol pings unanswered while alive: their pings say nothing of them. */
  get ignoresPings(): boolean {
    return this.pingsIgnored && !this.pingsAnswered;
  }

  private of(key: string): Program {
    let p = this.known.get(key);
    if (!p) {
      p = { heardAt: -Infinity, provenAt: -Infinity, stuck: null, sockets: 0 };
      this.known.set(key, p);
    }
    return p;
  }
}

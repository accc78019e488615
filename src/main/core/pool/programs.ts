import type { FailureCause } from '../../../shared/pools';

/**
 * What the console knows of each backend program behind one address, keyed by the instance its welcome names ('' when
 * it names none). Behind a load balancer one address reaches several programs: one stuck while its sibling answers is
 * found, and only its sockets leave rotation (review19 M1).
 */
export interface Program {
  /** When it last answered on any of the console's sockets, after a welcome (mono). */
  heardAt: number;
  /** It has answered a protocol ping at least once: its silence while one is owed means something (review19 M4). */
  answersPings: boolean;
  /** Found stuck (a socket closed for its silence, its WebSocket answering): why, until it answers anything. */
  stuck: FailureCause | null;
}

/** A hostile backend could name a new instance in every welcome: records of programs no socket reaches go first. */
const MAX_PROGRAMS = 16;

export class Programs {
  private readonly known = new Map<string, Program>();

  get(instance: string): Program | undefined {
    return this.known.get(instance);
  }

  /** The record of `instance`, made on first use. */
  of(instance: string): Program {
    let p = this.known.get(instance);
    if (!p) {
      p = { heardAt: -Infinity, answersPings: false, stuck: null };
      this.known.set(instance, p);
    }
    return p;
  }

  /** A socket to `instance` closed and `held` other sockets reach it still: a record nobody needs is let go. */
  closed(instance: string, held: (instance: string) => boolean): void {
    const p = this.known.get(instance);
    if (p && !p.stuck && !held(instance)) this.known.delete(instance);
    // A stuck one is kept so a new socket that lands on it stays out of use, but never without bound.
    for (const key of this.known.keys()) {
      if (this.known.size <= MAX_PROGRAMS) break;
      if (!held(key)) this.known.delete(key);
    }
  }

  /** Why the first program behind the address known stuck is (null: none is). */
  get firstStuck(): FailureCause | null {
    for (const p of this.known.values()) if (p.stuck) return p.stuck;
    return null;
  }
}

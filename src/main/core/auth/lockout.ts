import { ROLES, type Role } from '../../../shared/roles';

const FREE_TRIES = 3;

interface Tries {
  failures: number;
  lockedUntil: number;
}

/**
 * Wrong-PIN waits, per role, for the whole console. Every screen shares one table: a reload or a
 * new socket is a new session, and guessing must not start over with it. `now` is monotonic ms:
 * on the wall clock, a PC clock set back a day locked staff out for a day.
 */
export class PinLockout {
  private readonly tries = new Map<Role, Tries>();

  /** Seconds until another PIN for this role may be tried. */
  lockedFor(role: Role, now: number): number {
    return Math.max(0, Math.ceil(((this.tries.get(role)?.lockedUntil ?? 0) - now) / 1000));
  }

  /** The longest wait of any role: what a sign-in screen that has not picked a role can say. */
  longestWait(now: number): number {
    return Math.max(...ROLES.map((r) => this.lockedFor(r, now)));
  }

  /** Wrong PINs still allowed before each further one makes the next try wait. */
  triesBeforeWait(role: Role): number {
    return Math.max(0, FREE_TRIES - (this.tries.get(role)?.failures ?? 0));
  }

  /** After three wrong PINs each further one adds a growing wait: 2, 4, 8 … up to 60 s. */
  wrongPin(role: Role, now: number): void {
    const t = this.tries.get(role) ?? { failures: 0, lockedUntil: 0 };
    t.failures++;
    if (t.failures >= FREE_TRIES) t.lockedUntil = now + Math.min(60_000, 1_000 * 2 ** (t.failures - 2));
    this.tries.set(role, t);
  }

  rightPin(role: Role): void {
    this.tries.delete(role);
  }
}

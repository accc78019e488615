import type { AuthStatus, Role } from '../../../shared/roles';

/** One screen's sign-in: a web-bridge connection or an Electron window. */
export class Session {
  private failures = 0;
  private lockedUntil = 0;

  constructor(public role: Role | null) {}

  /** Seconds until another PIN may be tried. */
  lockedFor(now: number): number {
    return Math.max(0, Math.ceil((this.lockedUntil - now) / 1000));
  }

  /** After three wrong PINs each further one adds a growing wait: 2, 4, 8 … up to 60 s. */
  wrongPin(now: number): void {
    this.failures++;
    if (this.failures >= 3) this.lockedUntil = now + Math.min(60_000, 1_000 * 2 ** (this.failures - 2));
  }

  rightPin(role: Role): void {
    this.failures = 0;
    this.lockedUntil = 0;
    this.role = role;
  }

  status(setupNeeded: boolean, now: number): AuthStatus {
    return { role: this.role, setupNeeded, lockedForS: this.lockedFor(now) };
  }
}

import type { AuthStatus, Role } from '../../../shared/roles';

/** One screen's sign-in: a web-bridge connection or an Electron window. */
export class Session {
  private failures = 0;
  private lockedUntil = 0;

  /** `out`: the role after signing out (a kiosk stays a kiosk), and who to tell. */
  constructor(
    public role: Role | null,
    private readonly out: { role: Role | null; onSignOut?: () => void } = { role: null },
  ) {}

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

  signOut(): void {
    this.role = this.out.role;
    this.out.onSignOut?.();
  }

  status(setupNeeded: boolean, now: number): AuthStatus {
    return { role: this.role, setupNeeded, lockedForS: this.lockedFor(now) };
  }
}

/**
 * Sessions for one console's screens. A reload is a new session, so a sign-out must outlive the
 * screen that made it: once any screen signs out, later screens start signed out too (the demo's
 * free manager sign-in ends there).
 */
export function sessionFactory(first: Role | null, afterSignOut: Role | null): () => Session {
  let signedOut = false;
  const out = { role: afterSignOut, onSignOut: () => void (signedOut = true) };
  return () => new Session(signedOut ? afterSignOut : first, out);
}

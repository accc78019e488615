import type { AuthStatus, Role } from '../../../shared/roles';
import { PinLockout } from './lockout';

/** One screen's sign-in: a web-bridge connection or an Electron window. */
export class Session {
  /**
   * `out`: the role after signing out (a kiosk stays a kiosk), and who to tell. `lockout`: the
   * console's wrong-PIN table, shared by its screens; a session made alone gets its own.
   */
  constructor(
    public role: Role | null,
    private readonly out: { role: Role | null; onSignOut?: () => void } = { role: null },
    readonly lockout: PinLockout = new PinLockout(),
  ) {}

  rightPin(role: Role): void {
    this.lockout.rightPin(role);
    this.role = role;
  }

  signOut(): void {
    this.role = this.out.role;
    this.out.onSignOut?.();
  }

  status(setupNeeded: boolean, now: number): AuthStatus {
    return { role: this.role, setupNeeded, lockedForS: this.lockout.longestWait(now) };
  }
}

/**
 * Sessions for one console's screens. A reload is a new session, so a sign-out must outlive the
 * screen that made it: once any screen signs out, later screens start signed out too (the demo's
 * free manager sign-in ends there). Wrong-PIN waits are shared the same way.
 */
export function sessionFactory(first: Role | null, afterSignOut: Role | null): () => Session {
  let signedOut = false;
  const out = { role: afterSignOut, onSignOut: () => void (signedOut = true) };
  const lockout = new PinLockout();
  return () => new Session(signedOut ? afterSignOut : first, out, lockout);
}

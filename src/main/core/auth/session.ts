import type { AuthStatus, Role } from '../../../shared/roles';
import { ConsoleLockout, ScreenLockout } from './lockout';

/** What a screen is told when it is signed out from elsewhere: said on its sign-in. */
export type TellScreen = (message: string) => void;

let screens = 0;

/** One screen's sign-in: a web-bridge connection or an Electron window. */
export class Session {
  /**
   * Which screen this is, for what is one screen's own (the kiosk's "same visit" on a rescan): every
   * kiosk screen a console serves says 'kiosk', so the role cannot tell them apart. Never shown.
   */
  readonly screenId = `screen-${++screens}`;
  /** This screen's wrong-PIN waits: its own, and the console's (ScreenLockout). */
  readonly lockout: ScreenLockout;
  /**
   * Whose PIN this screen's sign-in rests on: a PIN change signs out the screens that used that PIN, not those that
   * only share its role (a kiosk station opened with the manager's PIN stays open when the kiosk PIN changes:
   * probe26b B8). Undefined: it started in its role, with no PIN typed; null: it uses no PIN a change could undo.
   */
  pin: Role | null | undefined = undefined;

  /** When it last said it is a kiosk screen waiting to be opened (mono ms; 'station.waiting'); null: never. */
  waitingSince: number | null = null;

  /**
   * `out`: the role after signing out (a kiosk stays a kiosk), and who to tell. `consoleLockout`:
   * the console's wrong-PIN table, shared by its screens; a session made alone gets its own.
   * `screen`: how to tell this screen it was signed out from elsewhere, and whom to tell it is gone.
   */
  constructor(
    public role: Role | null,
    private readonly out: { role: Role | null; onSignOut?: () => void } = { role: null },
    consoleLockout: ConsoleLockout = new ConsoleLockout(),
    private readonly screen: { tell: TellScreen; ended: () => void } = { tell: () => {}, ended: () => {} },
  ) {
    this.lockout = new ScreenLockout(consoleLockout);
  }

  /** `as`: the role the screen takes when it is less than the PIN's (a station reopened with a manager's PIN). */
  rightPin(role: Role, as: Role = role): void {
    this.lockout.rightPin(role);
    this.role = as;
    this.pin = role;
  }

  /** Back to the kiosk station it was opened as, staff gone from it (staff-idle): a station as any other, for a new kiosk PIN. */
  backToStation(): void {
    this.role = 'kiosk';
    this.pin = undefined;
  }

  signOut(): void {
    this.role = this.out.role;
    this.pin = undefined;
    this.out.onSignOut?.();
  }

  /** Signed out by something done on another screen; this one is told why. */
  signOutBecause(message: string): void {
    this.signOut();
    this.screen.tell(message);
  }

  private readonly onEnded: (() => void)[] = [];

  /** Runs `fn` when the screen goes away: what it held (an export open for review) is let go. */
  whenEnded(fn: () => void): void {
    this.onEnded.push(fn);
  }

  /** The screen went away (socket closed, window destroyed). */
  end(): void {
    this.screen.ended();
    for (const fn of this.onEnded.splice(0)) fn();
  }

  status(setupNeeded: boolean, roles: readonly Role[], now: number): AuthStatus {
    return { role: this.role, setupNeeded, roles, lockedForS: this.lockout.longestWait(now) };
  }
}

/**
 * Sessions for one console's screens. A reload is a new session, so a sign-out must outlive the
 * screen that made it: once any screen signs out, later screens start signed out too (the demo's
 * free manager sign-in ends there). Wrong-PIN waits are each screen's own, within a bound shared
 * by all of them (lockout.ts). Open screens are kept (until their transport ends them) so a changed
 * PIN can sign out the screens that used the old one.
 */
export class ScreenSessions {
  private signedOut = false;
  /** A kiosk station was closed (staff signed out at it) and none opened since: fresh kiosk screens say "closed". */
  stationClosed = false;
  private readonly open = new Set<Session>();
  private readonly out;
  /** Wrong PINs across all screens: the bound a new screen does not start over. */
  readonly lockout = new ConsoleLockout();

  constructor(
    private readonly first: Role | null,
    afterSignOut: Role | null,
  ) {
    this.out = { role: afterSignOut, onSignOut: () => void (this.signedOut = true) };
  }

  /** A new screen's session; its transport calls `end()` when the screen goes away. */
  start(tell: TellScreen = () => {}): Session {
    const s: Session = new Session(this.signedOut ? this.out.role : this.first, this.out, this.lockout, { tell, ended: () => void this.open.delete(s) });
    this.open.add(s);
    return s;
  }

  /** Screens open now. */
  get size(): number {
    return this.open.size;
  }

  /** Kiosk screens not open to members now: each said so within `withinMs` of `now` (mono) and is not signed in since. */
  stationsWaiting(now: number, withinMs: number): number {
    let n = 0;
    for (const s of this.open) if (s.role === null && s.waitingSince !== null && now - s.waitingSince <= withinMs) n++;
    return n;
  }

  /**
   * PINs changed: every other screen signed in with one of them is signed out and told why. Later
   * screens start signed out (a demo's free manager sign-in ends with its first PIN change).
   * Returns how many screens were signed out, and how many of them were kiosk stations (closed to members now).
   */
  pinsChanged(roles: readonly Role[], by: Session, say: (role: Role) => string): { signedOut: number; stationsClosed: number } {
    this.signedOut = true;
    let signedOut = 0;
    let stationsClosed = 0;
    for (const s of this.open) {
      // A station holds a kiosk's rights only, whoever's PIN opened it: only a new kiosk PIN closes it (review26 V2).
      const pin = s.role === 'kiosk' ? (s.pin === undefined || s.pin === 'kiosk' ? 'kiosk' : null) : s.pin === undefined ? s.role : s.pin;
      if (s === by || s.role === null || s.role === this.out.role || pin === null || !roles.includes(pin)) continue;
      if (s.role === 'kiosk') stationsClosed++;
      s.signOutBecause(say(pin));
      signedOut++;
    }
    if (stationsClosed) this.stationClosed = true;
    return { signedOut, stationsClosed };
  }
}

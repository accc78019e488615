import { ROLES, type Role } from '../../../shared/roles';

/** Wrong PINs one screen may type for a role before each further one makes that screen wait. */
const SCREEN_FREE_TRIES = 3;
/**
 * Wrong PINs for a role across all screens before every screen waits: well past what one person
 * mistyping does, so a passer-by at the kiosk cannot lock the manager out at the desk; a reload (a
 * new screen) starts that screen over but not this count, so guessing stays bounded.
 */
const CONSOLE_FREE_TRIES = 10;
const MAX_WAIT_MS = 60_000;

interface Tries {
  failures: number;
  lockedUntil: number;
}

/**
 * Wrong-PIN waits per role: after `freeTries` wrong ones each further one adds a growing wait, 2, 4, 8 … up to 60 s.
 * `now` is monotonic ms: on the wall clock, a PC clock set back a day locked staff out for a day.
 */
export class PinLockout {
  private readonly tries = new Map<Role, Tries>();

  constructor(private readonly freeTries = SCREEN_FREE_TRIES) {}

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
    return Math.max(0, this.freeTries - this.failures(role));
  }

  /** Wrong PINs for this role since its last right one. */
  failures(role: Role): number {
    return this.tries.get(role)?.failures ?? 0;
  }

  wrongPin(role: Role, now: number): void {
    const t = this.tries.get(role) ?? { failures: 0, lockedUntil: 0 };
    t.failures++;
    if (t.failures >= this.freeTries) t.lockedUntil = now + Math.min(MAX_WAIT_MS, 1_000 * 2 ** (t.failures - this.freeTries + 1));
    this.tries.set(role, t);
  }

  rightPin(role: Role): void {
    this.tries.delete(role);
  }
}

/**
 * The console's wrong PINs across all its screens. It numbers the screens as they open, and notes
 * which screens were open when a role's waits began: one of those that has not guessed that PIN
 * itself (the manager's own screen at the desk, while someone guesses at the kiosk) is not held.
 */
export class ConsoleLockout extends PinLockout {
  private opened = 0;
  /** Per role: the last screen opened before its waits began. */
  private readonly begunAfter = new Map<Role, number>();

  constructor() {
    super(CONSOLE_FREE_TRIES);
  }

  /** A new screen's number. */
  register(): number {
    return ++this.opened;
  }

  /** Whether screen `n` was open before this role's waits began (false while none have). */
  openBefore(role: Role, n: number): boolean {
    return n <= (this.begunAfter.get(role) ?? 0);
  }

  override wrongPin(role: Role, now: number): void {
    super.wrongPin(role, now);
    if (this.failures(role) >= CONSOLE_FREE_TRIES && !this.begunAfter.has(role)) this.begunAfter.set(role, this.opened);
  }

  override rightPin(role: Role): void {
    super.rightPin(role);
    this.begunAfter.delete(role);
  }
}

/**
 * One screen's wrong-PIN waits: its own, so wrong PINs typed at one screen slow that screen down,
 * not the manager at another; and the console's, so opening new screens does not give unlimited
 * tries. Once the console's waits have begun they hold every screen opened since and every screen
 * that has guessed that PIN itself; a screen already open that has not is held only by its own.
 * Every wrong PIN is still in the audit log, which the sign-in check (a security alert) counts.
 */
export class ScreenLockout {
  private readonly n: number;
  private readonly own = new PinLockout(SCREEN_FREE_TRIES);

  constructor(private readonly all: ConsoleLockout = new ConsoleLockout()) {
    this.n = all.register();
  }

  private held(role: Role): boolean {
    return !(this.all.openBefore(role, this.n) && this.own.failures(role) === 0);
  }

  lockedFor(role: Role, now: number): number {
    return Math.max(this.own.lockedFor(role, now), this.held(role) ? this.all.lockedFor(role, now) : 0);
  }

  /** Whether the wait comes from wrong PINs on the console's screens as a whole, not this one's own. */
  lockedByAll(role: Role, now: number): boolean {
    return this.lockedFor(role, now) > this.own.lockedFor(role, now);
  }

  longestWait(now: number): number {
    return Math.max(...ROLES.map((r) => this.lockedFor(r, now)));
  }

  triesBeforeWait(role: Role): number {
    return Math.min(this.own.triesBeforeWait(role), this.held(role) ? this.all.triesBeforeWait(role) : Infinity);
  }

  wrongPin(role: Role, now: number): void {
    this.own.wrongPin(role, now);
    this.all.wrongPin(role, now);
  }

  /** The right PIN ends the guessing for that role, on this screen and across the console. */
  rightPin(role: Role): void {
    this.own.rightPin(role);
    this.all.rightPin(role);
  }
}

import { ROLES, type Role } from '../../../shared/roles';

/** Wrong PINs one screen may type for a role before each further one makes that screen wait. */
const SCREEN_FREE_TRIES = 3;
/**
 * Wrong PINs for a role across all screens before every screen waits: well past what one person
 * mistyping does, so a passer-by at the kiosk cannot lock the manager out at the desk; a reload (a
 * new screen) starts that screen over but not this count, so guessing stays bounded.
 */
const CONSOLE_FREE_TRIES = 10;
/** A screen's own waits stop growing here: it is one person mistyping, and the console's waits bound guessing. */
const SCREEN_MAX_WAIT_MS = 60_000;
/**
 * The console's waits keep growing to this: at 1 try a minute a 4-digit PIN fell in about 3.5 days
 * (probe-hostile14 P1); at 1 per 15 min it takes about 50 days on average, and Health says so long before.
 */
export const CONSOLE_MAX_WAIT_MS = 15 * 60_000;
/**
 * Once the console's waits have begun for a PIN, how many tries in all its signed-in screens may still
 * make without waiting (the manager's own screen at the desk, while someone guesses at the kiosk).
 * A number for the console, not one per screen: opening more screens must never buy more guesses.
 */
const SIGNED_IN_GRACE = 3;
/** Guessing that has stopped this long (twice the longest wait) is no longer "someone keeps trying". */
const GUESSING_QUIET_MS = 2 * CONSOLE_MAX_WAIT_MS;

interface Tries {
  failures: number;
  lockedUntil: number;
}

/**
 * Wrong-PIN waits per role: after `freeTries` wrong ones each further one adds a growing wait, 2, 4, 8 … up to `maxWaitMs`.
 * `now` is monotonic ms: on the wall clock, a PC clock set back a day locked staff out for a day.
 */
export class PinLockout {
  private readonly tries = new Map<Role, Tries>();

  constructor(
    private readonly freeTries = SCREEN_FREE_TRIES,
    private readonly maxWaitMs = SCREEN_MAX_WAIT_MS,
  ) {}

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
    if (t.failures >= this.freeTries) t.lockedUntil = now + Math.min(this.maxWaitMs, 1_000 * 2 ** Math.min(30, t.failures - this.freeTries + 1));
    this.tries.set(role, t);
  }

  rightPin(role: Role): void {
    this.tries.delete(role);
  }
}

/**
 * The console's wrong PINs across all its screens. It counts sign-ins with a PIN as they happen and
 * notes, per role, where that count stood when the role's waits began: a screen signed in with a PIN
 * before then (the manager's own screen at the desk, while someone guesses at the kiosk) is not held,
 * within SIGNED_IN_GRACE tries for the whole console. A screen merely open is held: with only the
 * page token, each connection opened early was one more guess (38 in 6.6 s, probe-hostile14 P1).
 */
export class ConsoleLockout extends PinLockout {
  private signIns = 0;
  /** Per role: the last sign-in with a PIN before its waits began. */
  private readonly begunAfter = new Map<Role, number>();
  /** Per role: when (monotonic ms) the last wrong PIN was typed. */
  private readonly lastWrong = new Map<Role, number>();
  /** Per role: wrong PINs typed by not-held screens since its waits began. */
  private readonly graceUsed = new Map<Role, number>();

  constructor() {
    super(CONSOLE_FREE_TRIES, CONSOLE_MAX_WAIT_MS);
  }

  /** A screen signed in with a PIN: its number in that order. */
  signedIn(): number {
    return ++this.signIns;
  }

  /** Whether the screen signed in as `n` (null: never) may still try this role's PIN without the console's wait. */
  spared(role: Role, n: number | null): boolean {
    return n !== null && n <= (this.begunAfter.get(role) ?? 0) && (this.graceUsed.get(role) ?? 0) < SIGNED_IN_GRACE;
  }

  /**
   * The PIN someone keeps guessing: the role whose waits have begun with the most wrong PINs since
   * it was last typed right, the last within GUESSING_QUIET_MS (null: none), for Health to say while
   * the slow guessing goes on.
   */
  guessing(now: number): { role: Role; wrong: number } | null {
    const begun = ROLES.filter((r) => this.begunAfter.has(r) && now - (this.lastWrong.get(r) ?? -Infinity) < GUESSING_QUIET_MS).map((role) => ({ role, wrong: this.failures(role) }));
    return begun.sort((a, b) => b.wrong - a.wrong)[0] ?? null;
  }

  /** The waits began for this role: wrong PINs past the console's free tries. */
  begun(role: Role): boolean {
    return this.begunAfter.has(role);
  }

  /** A wrong PIN; `spared`: typed on a screen the console's wait did not hold. */
  override wrongPin(role: Role, now: number, spared = false): void {
    super.wrongPin(role, now);
    this.lastWrong.set(role, now);
    if (spared) this.graceUsed.set(role, (this.graceUsed.get(role) ?? 0) + 1);
    if (this.failures(role) >= CONSOLE_FREE_TRIES && !this.begunAfter.has(role)) this.begunAfter.set(role, this.signIns);
  }

  override rightPin(role: Role): void {
    super.rightPin(role);
    this.begunAfter.delete(role);
    this.graceUsed.delete(role);
  }
}

/**
 * One screen's wrong-PIN waits: its own, so wrong PINs typed at one screen slow that screen down,
 * not the manager at another; and the console's, so opening new screens does not give more tries.
 * Once the console's waits have begun they hold every screen, but one signed in with a PIN before
 * they began that has not guessed that PIN itself, within a few tries for the whole console.
 * Every wrong PIN is still in the audit log, which the sign-in check (a security alert) counts.
 */
export class ScreenLockout {
  /** When this screen last signed in with a PIN, in the console's order; null: never. */
  private signedIn: number | null = null;
  private readonly own = new PinLockout(SCREEN_FREE_TRIES);

  constructor(private readonly all: ConsoleLockout = new ConsoleLockout()) {}

  private held(role: Role): boolean {
    return !(this.own.failures(role) === 0 && this.all.spared(role, this.signedIn));
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
    const spared = this.all.begun(role) && !this.held(role);
    this.own.wrongPin(role, now);
    this.all.wrongPin(role, now, spared);
  }

  /** The right PIN ends the guessing for that role, on this screen and across the console. */
  rightPin(role: Role): void {
    this.own.rightPin(role);
    this.all.rightPin(role);
    this.signedIn = this.all.signedIn();
  }
}

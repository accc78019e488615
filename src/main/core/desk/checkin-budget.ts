import { UserError } from '../../../shared/result';
import type { Role } from '../../../shared/roles';
import type { Clock } from '../clock';

/** A token bucket: `burst` scans at once, then `perSecond` more each second. */
export interface Rate {
  burst: number;
  perSecond: number;
}

export interface CheckinLimits {
  /** One screen (a kiosk station, a desk window, one bridge connection). */
  screen: Rate;
  /**
   * All of the console's screens of one kind, so many connections cannot add up. Kiosk screens (opened
   * with the page token alone) and staff screens (signed in with a PIN) have a ceiling each, so a
   * flood from a kiosk connection never stops the front desk.
   */
  console: Rate;
}

/**
 * A person scans about one card a second at most; a queue at the door is a short burst. A screen may
 * scan 20 at once, then one a second; the console's kiosk screens together 60 at once, then 5 a
 * second (the same for its staff screens). At 5 a second, made-up cards would take over 2 hours to
 * reach the 40,000 the offline queue lets a card the roster copy lacks fill (OUTBOX_BOUNDS: 50,000 in
 * 2.8 hours), and the last 10,000 places stay for members. README.md states these numbers.
 */
export const CHECKIN_LIMITS: CheckinLimits = {
  screen: { burst: 20, perSecond: 1 },
  console: { burst: 60, perSecond: 5 },
};

/** IT is told of refused scans at most once in this long; the refusals in between are counted in the next line. */
const LOG_EVERY_MS = 60_000;

export const TOO_FAST_SCREEN = 'Too many scans at once from this station: this check-in was NOT taken. Wait a moment and scan again.';
export const TOO_FAST_CONSOLE =
  "Too many scans at once across this console's stations: this check-in was NOT taken. Wait a moment and scan again; if it keeps happening, tell the gym's IT (the console's log names the cause).";

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.at = now;
  }
  /** True (and one scan taken) when there is room for one more. */
  has(now: number): boolean {
    // A clock that went back (it is monotonic, but a test's may not be) gives nothing back.
    this.tokens = Math.min(this.rate.burst, this.tokens + (Math.max(0, now - this.at) / 1_000) * this.rate.perSecond);
    this.at = Math.max(this.at, now);
    return this.tokens >= 1;
  }
  take(): void {
    this.tokens -= 1;
  }
}

/** Who is scanning: one screen, by its role. */
export interface Scanner {
  screenId: string;
  role: Role | null;
}

/**
 * How fast check-ins may come in, at the boundary where requests arrive: any program holding the page
 * token is a kiosk screen, and without this one connection filled the offline queue in seconds (and then
 * real members were refused) or pushed hundreds of made-up check-ins a second into the gym's system.
 * The core's own callers (the demo, the benches' direct calls) do not come through here.
 */
export class CheckinBudget {
  /** Keyed by the screen object itself: an ended screen's bucket goes with it. */
  private readonly screens = new WeakMap<object, Bucket>();
  private readonly consoles = new Map<'kiosk' | 'staff', Bucket>();
  private quiet = { count: 0, screens: new Set<string>(), loggedAt: -Infinity };

  constructor(
    private readonly clock: Pick<Clock, 'mono'>,
    private readonly log: (line: string) => void,
    private readonly limits: CheckinLimits = CHECKIN_LIMITS,
  ) {}

  /** Takes one scan from `screen`'s budget and its kind's, or throws the refusal staff see. */
  take(screen: object & Scanner): void {
    const now = this.clock.mono();
    let own = this.screens.get(screen);
    if (!own) this.screens.set(screen, (own = new Bucket(this.limits.screen, now)));
    const kind = screen.role === 'kiosk' ? 'kiosk' : 'staff';
    let all = this.consoles.get(kind);
    if (!all) this.consoles.set(kind, (all = new Bucket(this.limits.console, now)));
    // The screen's own budget first: a screen over it takes nothing from the others'.
    if (!own.has(now)) return this.refuse(now, screen, 'screen');
    if (!all.has(now)) return this.refuse(now, screen, kind);
    own.take();
    all.take();
  }

  private refuse(now: number, screen: Scanner, over: 'screen' | 'kiosk' | 'staff'): never {
    const q = this.quiet;
    q.count++;
    if (q.screens.size < 100) q.screens.add(screen.screenId);
    if (now - q.loggedAt >= LOG_EVERY_MS) {
      const who = screen.role === 'kiosk' ? 'a kiosk screen (anyone with the page address can open one)' : `a ${screen.role ?? 'signed-out'} screen`;
      const why =
        over === 'screen'
          ? `${who} (${screen.screenId}) asked for check-ins faster than anyone scans cards`
          : `the console's ${over === 'kiosk' ? 'kiosk screens (anyone with the page address can open one)' : 'staff screens'} together asked for check-ins faster than its stations scan cards`;
      const since = q.count > 1 ? ` (${q.count} refused, from ${q.screens.size} screen${q.screens.size === 1 ? '' : 's'}, since the last such line)` : '';
      this.log(`check-ins refused: ${why}; they were not taken or sent${since}. If no one is scanning that fast, look for a program using the console's page address. Told once a minute at most.`);
      this.quiet = { count: 0, screens: new Set(), loggedAt: now };
    }
    throw new UserError('too-many-scans', over === 'screen' ? TOO_FAST_SCREEN : TOO_FAST_CONSOLE);
  }
}

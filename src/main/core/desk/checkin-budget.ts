import { UserError } from '../../../shared/result';
import type { Role } from '../../../shared/roles';
import type { Clock } from '../clock';
import { TokenBucket, type Rate } from '../token-bucket';
import { throttledNote, type ThrottledNote } from '../throttled-note';

export interface CheckinLimits {
  /** One kiosk screen (one bridge connection opened with the page token alone); staff screens have none of their own. */
  screen: Rate;
  /**
   * Check-ins of cards the roster copy does not know, from all of the console's screens of one kind, so
   * many connections cannot add up. Only those: a flood of made-up cards then never stops a member's
   * scan. Kiosk screens (opened with the page token alone) and staff screens (signed in with a PIN)
   * have a ceiling each, so a flood from a kiosk connection never stops the front desk.
   */
  console: Rate;
}

/**
 * A person scans about one card a second at most; a queue at the door is a short burst. A screen may
 * scan 20 at once, then one a second (a new one too: members scanning one after another at a kiosk just opened;
 * reconnecting gains at most a burst per screen place, and cards the roster lacks are capped for all below);
 * cards the roster copy lacks, from the console's kiosk screens together, 60 at once, then 5 a
 * second (the same for its staff screens). At 5 a second, made-up cards would take over 2 hours to
 * reach the 40,000 the offline queue lets a card the roster copy lacks fill (OUTBOX_BOUNDS: 50,000 in
 * 2.8 hours), and the last 10,000 places stay for members. README.md states these numbers.
 */
export const CHECKIN_LIMITS: CheckinLimits = {
  screen: { burst: 20, perSecond: 1 },
  console: { burst: 60, perSecond: 5 },
};

/** No pace at all: for the core's own callers that stand for many stations at once (the kiosk bench, tests of the outbox under many scans). */
export const NO_CHECKIN_LIMITS: CheckinLimits = { screen: { burst: Infinity, perSecond: 0 }, console: { burst: Infinity, perSecond: 0 } };

/** IT is told of refused scans at most once in this long; the refusals in between are counted in the next line, said when it is up. */
const LOG_EVERY_MS = 60_000;

export const TOO_FAST_SCREEN = 'Too many scans at once from this station: this check-in was NOT taken. Wait a moment and scan again.';
// Read by a member at a kiosk too: what IT should do is the kiosk's staff note (SCANS_REFUSED_STAFF_NOTE).
export const TOO_FAST_CONSOLE = "Too many scans of unknown cards across this console's stations: this check-in was NOT taken. Wait a moment and scan again.";

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
  private readonly screens = new WeakMap<object, TokenBucket>();
  private readonly consoles = new Map<'kiosk' | 'staff', TokenBucket>();
  /** The screens whose refusals the next line counts (at most 100 named). */
  private refusedFrom = new Set<string>();
  private readonly told: ThrottledNote<{ screen: Scanner; over: Over }>;

  constructor(
    private readonly clock: Pick<Clock, 'mono' | 'setTimeout' | 'clearTimeout'>,
    log: (line: string) => void,
    private readonly limits: CheckinLimits = CHECKIN_LIMITS,
  ) {
    this.told = throttledNote({
      everyMs: LOG_EVERY_MS,
      clock,
      say: ({ detail: { screen, over }, count }) => {
        const from = this.refusedFrom.size;
        this.refusedFrom = new Set();
        log(refusedLine(screen, over, count, from));
      },
    });
  }

  /** The console stops: a count not yet said is dropped, not written to a closed log. */
  stop(): void {
    this.told.stop();
  }

  /**
   * Takes one scan from `screen`'s own budget, or throws the refusal staff see: before anything is looked
   * up, so a flood refused here costs the console nothing. Not for staff overrides: staff mean them.
   */
  take(screen: object & Scanner): void {
    // Staff signed in with a PIN are who they say: a front desk checking a queue in is not held to a pace. Only
    // screens opened with the page token alone are (their cards the roster lacks are capped for all, below).
    if (screen.role !== 'kiosk') return;
    if (!this.own(screen).take()) this.refuse(screen, 'screen');
  }

  /** The scan `take` charged came to nothing sent (the reader's double read, a repeat of a visit): it costs nothing. */
  giveBack(screen: object): void {
    this.screens.get(screen)?.giveBack();
  }

  /**
   * A scan `take` let through is of a card the roster copy does not know (FrontDesk decides): it also
   * takes from its kind's console-wide budget, or throws. A member's card never does, so a flood of
   * made-up cards never stops one.
   */
  unknownCard(screen: object & Scanner): void {
    const kind = screen.role === 'kiosk' ? 'kiosk' : 'staff';
    let all = this.consoles.get(kind);
    if (!all) this.consoles.set(kind, (all = this.bucket(this.limits.console)));
    if (!all.take()) this.refuse(screen, kind);
  }

  /**
   * One scan's check-in (`send`, given the hook FrontDesk calls once it knows the card) within `screen`'s
   * budget. A staff override is never refused for speed nor charged: staff mean it. The reader's double
   * read or a repeat of a visit sends nothing, so it costs nothing.
   */
  async spend<R extends { ignored: string | null }>(screen: object & Scanner, override: boolean, send: (beforeSend: (unknownCard: boolean) => void) => Promise<R>): Promise<R> {
    if (override) return send(() => {});
    this.take(screen);
    const r = await send((unknownCard) => unknownCard && this.unknownCard(screen));
    if (r.ignored === 'bounce' || r.ignored === 'repeat') this.giveBack(screen);
    return r;
  }

  private own(screen: object): TokenBucket {
    let own = this.screens.get(screen);
    if (!own) this.screens.set(screen, (own = this.bucket(this.limits.screen)));
    return own;
  }

  private bucket(rate: Rate): TokenBucket {
    return new TokenBucket(rate, () => this.clock.mono());
  }

  private refuse(screen: Scanner, over: Over): never {
    if (this.refusedFrom.size < 100) this.refusedFrom.add(screen.screenId);
    this.told.note({ screen: { screenId: screen.screenId, role: screen.role }, over }); // not the screen itself: it may end before the line is said
    throw new UserError('too-many-scans', over === 'screen' ? TOO_FAST_SCREEN : TOO_FAST_CONSOLE);
  }
}

type Over = 'screen' | 'kiosk' | 'staff';

/** The log line for IT about refused scans: `screen`'s refusal, and with it `count` since the last line, from `from` screens. */
function refusedLine(screen: Scanner, over: Over, count: number, from: number): string {
  const who = screen.role === 'kiosk' ? 'a kiosk screen (anyone with the page address can open one)' : `a ${screen.role ?? 'signed-out'} screen`;
  const why =
    over === 'screen'
      ? `${who} (${screen.screenId}) asked for check-ins faster than anyone scans cards`
      : `the console's ${over === 'kiosk' ? 'kiosk screens (anyone with the page address can open one)' : 'staff screens'} together asked for check-ins of cards the roster copy does not know faster than its stations scan cards`;
  const since = count > 1 ? ` (${count} refused, from ${from} screen${from === 1 ? '' : 's'}, since the last such line)` : '';
  return `check-ins refused: ${why}; they were not taken or sent${since}. If no one is scanning that fast, look for a program using the console's page address. Told once a minute at most.`;
}

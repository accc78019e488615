import { UserError } from '../../../shared/result';
import type { Session } from '../auth/session';
import type { AnalyticsStore } from '../store/analytics-store';
import type { SkippedExport } from '../store/export';

/** Exports opened for review: read-only, shown in place of live data. */
export interface OpenedReview {
  store: AnalyticsStore;
  refs: string[];
  sites: string[];
  simulated: boolean;
  files: string[];
  /** What the files cover together. */
  from: number;
  to: number;
  skipped: SkippedExport[];
  /** The review's database image: what it holds of the console's memory while open. */
  bytes: number;
}

/**
 * Each review in memory may be hundreds of MB (REVIEW_LIMITS): this many screens may hold one at
 * once. Before reviews were a screen's own, the console held one.
 */
export const MAX_SCREEN_REVIEWS = 2;

/**
 * What the reviews open on all screens of a console may hold together (their images). One review
 * alone always opens (REVIEW_LIMITS bounds it); a second must fit beside the others, so two large
 * reviews do not take a 4–8 GB front-desk PC's memory from the live desk.
 */
export const REVIEWS_HELD_BYTES = 1024 * 1024 * 1024;

/**
 * A review belongs to the screen (sign-in session) that opened it: another screen, or a new one
 * (another PC's browser, the desk's), starts on live data. A screen that goes away lets its review
 * go, and `release` deletes its uploaded copies.
 */
export class ScreenReviews {
  private readonly open = new Map<Session, OpenedReview>();
  private readonly opening = new Map<Session, AbortController>();
  private readonly followed = new WeakSet<Session>();

  constructor(
    private readonly release: (refs: string[]) => void,
    private readonly heldBytes = REVIEWS_HELD_BYTES,
  ) {}

  of(session: Session): OpenedReview | null {
    return this.open.get(session) ?? null;
  }

  /** A new open on this screen: one it had under way is cancelled. Refused when too many screens hold one. */
  startOpening(session: Session): AbortController {
    this.roomFor(session);
    this.follow(session);
    this.opening.get(session)?.abort();
    const mine = new AbortController();
    this.opening.set(session, mine);
    return mine;
  }

  doneOpening(session: Session, mine: AbortController): void {
    if (this.opening.get(session) === mine) this.opening.delete(session);
  }

  /** Shows `review` on this screen in place of what it showed (its previous review is closed). */
  show(session: Session, review: OpenedReview): void {
    try {
      this.roomFor(session);
      this.roomForBytes(session, review.bytes);
    } catch (e) {
      review.store.db.close();
      this.release(review.refs);
      throw e;
    }
    this.close(session);
    this.open.set(session, review);
  }

  /** Cancels this screen's open under way, if any. */
  cancel(session: Session): boolean {
    const c = this.opening.get(session);
    c?.abort();
    return c !== undefined;
  }

  /** Back to live data on this screen. */
  close(session: Session): boolean {
    const r = this.open.get(session);
    if (!r) return false;
    this.open.delete(session);
    r.store.db.close();
    this.release(r.refs);
    return true;
  }

  /**
   * Refuses a review of `bytes` that would take the reviews open on other screens past what the
   * console allows for them. This screen's own is not counted: showing the new one closes it.
   */
  roomForBytes(session: Session, bytes: number): void {
    let others = 0;
    for (const [s, r] of this.open) if (s !== session) others += r.bytes;
    if (others === 0 || others + bytes <= this.heldBytes) return;
    const mb = (n: number): string => `${Math.ceil(n / 1024 / 1024).toLocaleString('en')} MB`;
    throw new UserError(
      'reviews-memory-full',
      `This export needs ${mb(bytes)} of the console's memory, and the reviews open on other screens already use ${mb(others)} of the ${mb(this.heldBytes)} the console allows for reviews, so the desk keeps what it needs. Close one there (Back to live data), then open this one again.`,
    );
  }

  private follow(session: Session): void {
    if (this.followed.has(session)) return;
    this.followed.add(session);
    session.whenEnded(() => {
      this.cancel(session);
      this.close(session);
    });
  }

  private roomFor(session: Session): void {
    if (this.open.has(session) || this.open.size < MAX_SCREEN_REVIEWS) return;
    throw new UserError(
      'too-many-reviews',
      `Exports are open for review on ${MAX_SCREEN_REVIEWS} other screens of this console, as many as it holds at once. Close one there (Back to live data), then open this one again.`,
    );
  }
}

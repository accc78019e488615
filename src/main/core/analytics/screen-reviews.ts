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
}

/**
 * Each review in memory may be hundreds of MB (REVIEW_LIMITS): this many screens may hold one at
 * once. Before reviews were a screen's own, the console held one.
 */
export const MAX_SCREEN_REVIEWS = 2;

/**
 * A review belongs to the screen (sign-in session) that opened it: another screen, or a new one
 * (another PC's browser, the desk's), starts on live data. A screen that goes away lets its review
 * go, and `release` deletes its uploaded copies.
 */
export class ScreenReviews {
  private readonly open = new Map<Session, OpenedReview>();
  private readonly opening = new Map<Session, AbortController>();
  private readonly followed = new WeakSet<Session>();

  constructor(private readonly release: (refs: string[]) => void) {}

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

import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { RequestBodies, VerdictSchema } from '../../../shared/protocol';
import { backendId } from '../../../shared/backend-text';
import { WAITING_CHECKINS_SHOWN, type WaitingCheckin } from '../../../shared/state';
import type { Db } from '../store/db';

/** A check-in still in flight this long (the kiosk's wait) is not listed as waiting: it is about to be answered. */
const ANSWER_WAIT_MS = 1_500;

const Row = z.object({ key: z.string(), ts: z.number(), body: z.string(), allowed: z.number().nullable(), reason: z.string().nullable() });

/**
 * The check-ins this PC holds for the backend, read from the outbox with any offline decision made for
 * them: the desk sees a scan at once while the backend is away, and after a restart too.
 */
export class WaitingCheckins {
  private readonly list: Statement;

  constructor(db: Db, private readonly nameOf: (cardId: string) => string | null) {
    this.list = db.prepare(
      `SELECT o.key, o.created AS ts, o.body, d.allowed, d.reason FROM outbox o LEFT JOIN offline_decisions d ON d.key = o.key
       WHERE o.op = 'checkin' AND (d.key IS NOT NULL OR o.created <= ?) ORDER BY o.seq DESC LIMIT ${WAITING_CHECKINS_SHOWN}`,
    );
  }

  view(now: number): WaitingCheckin[] {
    return (this.list.all(now - ANSWER_WAIT_MS) as unknown[]).flatMap((raw) => {
      const r = Row.safeParse(raw);
      if (!r.success) return [];
      const body = RequestBodies.checkin.safeParse(safeJson(r.data.body));
      if (!body.success) return [];
      const decided = r.data.allowed === null ? null : VerdictSchema.safeParse({ allowed: r.data.allowed === 1, reason: r.data.reason });
      return [{ key: r.data.key, ts: r.data.ts, cardId: backendId(body.data.cardId), name: this.nameOf(body.data.cardId), source: body.data.source, decided: decided?.success ? decided.data : null }];
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

import { randomBytes } from 'node:crypto';
import { ACCESS } from '../../../shared/contract';
import { atLeast, type Role } from '../../../shared/roles';
import type { Clock } from '../clock';
import type { Session } from './session';

/** What one ticket lets a browser do over plain HTTP: fetch one export by its name, or upload one file for review. */
export type TicketFor = { kind: 'download'; name: string } | { kind: 'upload' };

/** Long enough for a click to reach the host, short enough that a ticket left in a history is dead. */
export const TICKET_TTL_MS = 60_000;
/** Tickets waiting at once; more push out the oldest (a screen asking for tickets it never uses). */
const MAX_OPEN = 64;

/** The role a transfer needs: that of what it stands for on the screens, from the one role table. */
export const TICKET_ROLE: Record<TicketFor['kind'], Role> = {
  download: ACCESS['analytics.export']!,
  upload: ACCESS['analytics.openExport']!,
};

interface Open {
  use: TicketFor;
  until: number;
  session: Session;
}

const same = (a: TicketFor, b: TicketFor): boolean => a.kind === b.kind && (a.kind !== 'download' || (b.kind === 'download' && a.name === b.name));

/**
 * Single-use, short-lived tickets for the headless host's file transfers. A browser's download or
 * upload is a plain HTTP request: it carries no bridge session, and the page token is every
 * screen's, a kiosk's too. A ticket is issued over the bridge to a screen signed in with the role
 * the transfer needs, and is good for that one transfer only while that screen still has the role.
 */
export class FileTickets {
  private readonly open = new Map<string, Open>();

  constructor(private readonly clock: Clock) {}

  issue(use: TicketFor, session: Session): string {
    const now = this.clock.mono();
    for (const [t, o] of this.open) if (o.until <= now) this.open.delete(t);
    while (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    this.open.set(ticket, { use, until: now + TICKET_TTL_MS, session });
    return ticket;
  }

  /** Uses the ticket up: true only when it was issued for exactly this, is fresh, and its screen still has the role. */
  take(ticket: string | null, use: TicketFor): boolean {
    const t = ticket === null ? undefined : this.open.get(ticket);
    if (!t) return false;
    this.open.delete(ticket!);
    return t.until > this.clock.mono() && same(t.use, use) && atLeast(t.session.role, TICKET_ROLE[use.kind]);
  }
}

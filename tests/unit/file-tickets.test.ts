import { describe, expect, it } from 'vitest';
import { FileTickets, TICKET_ROLE, TICKET_TTL_MS } from '../../src/main/core/auth/file-tickets';
import { Session } from '../../src/main/core/auth/session';
import { ACCESS } from '../../src/shared/contract';
import { FakeClock } from '../helpers/fake-clock';

describe('file tickets (probe-hostile12 F9)', () => {
  it('are asked for with the role the transfer itself needs', () => {
    expect(ACCESS['analytics.downloadTicket']).toBe(TICKET_ROLE.download);
    expect(ACCESS['analytics.uploadTicket']).toBe(TICKET_ROLE.upload);
    expect(TICKET_ROLE).toEqual({ download: 'manager', upload: 'desk' });
  });

  it('work once, for a minute, for what they were issued for', () => {
    const clock = new FakeClock();
    const tickets = new FileTickets(clock);
    const manager = new Session('manager');
    const a = tickets.issue({ kind: 'download', name: 'a.json' }, manager);
    expect(tickets.take(a, { kind: 'download', name: 'b.json' })).toBe(false);
    const b = tickets.issue({ kind: 'download', name: 'a.json' }, manager);
    expect(tickets.take(b, { kind: 'upload' })).toBe(false);
    const c = tickets.issue({ kind: 'download', name: 'a.json' }, manager);
    expect(tickets.take(c, { kind: 'download', name: 'a.json' })).toBe(true);
    expect(tickets.take(c, { kind: 'download', name: 'a.json' })).toBe(false);
    const d = tickets.issue({ kind: 'upload' }, manager);
    clock.jump(TICKET_TTL_MS);
    expect(tickets.take(d, { kind: 'upload' })).toBe(false);
    expect(tickets.take(null, { kind: 'upload' })).toBe(false);
  });

  it('die when their screen no longer has the role', () => {
    const tickets = new FileTickets(new FakeClock());
    const s = new Session('manager');
    const t = tickets.issue({ kind: 'download', name: 'a.json' }, s);
    s.role = 'desk';
    expect(tickets.take(t, { kind: 'download', name: 'a.json' })).toBe(false);
    const u = tickets.issue({ kind: 'upload' }, s);
    expect(tickets.take(u, { kind: 'upload' })).toBe(true);
  });

  it('are bounded: a screen that never uses them pushes out only its oldest', () => {
    const tickets = new FileTickets(new FakeClock());
    const s = new Session('manager');
    const first = tickets.issue({ kind: 'upload' }, s);
    const rest = Array.from({ length: 64 }, () => tickets.issue({ kind: 'upload' }, s));
    expect(tickets.take(first, { kind: 'upload' })).toBe(false);
    expect(tickets.take(rest.at(-1)!, { kind: 'upload' })).toBe(true);
  });
});

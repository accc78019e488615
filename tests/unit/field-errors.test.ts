import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInWords } from '../../src/shared/field-errors';
import { requests } from '../../src/shared/contract';
import { PoolConfigSchema } from '../../src/shared/pools';

const problemsOf = (schema: z.ZodType, value: unknown) => {
  const r = parseInWords(schema, value);
  if (r.success) throw new Error('expected a refusal');
  return r;
};
const pool = { name: 'Main', endpoints: ['ws://a:1', 'ws://b:2'], maxConnections: 4, healthCheckInterval: 250, reconnectAttempts: 5, strategy: 'health-weighted' };

describe('field errors in staff words', () => {
  it('names the field by its on-screen label and states both limits with the unit', () => {
    const r = problemsOf(requests['analytics.configure'].input, { retentionDays: { events: 1, samples: 1, hours: 3, days: 30 } });
    expect(r.problems).toEqual([{ field: 'retentionDays.hours', message: 'Days to keep hourly rollups must be between 7 and 3,650.' }]);
    const d = problemsOf(requests['desk.configure'].input, { verdictSeconds: 99 });
    expect(d.problems).toEqual([{ field: 'verdictSeconds', message: 'Verdict time must be between 2 and 30 seconds.' }]);
  });

  it('says a blank number field is a number to fill in, with its range', () => {
    const r = problemsOf(requests['pools.configure'].input, { name: 'Main', patch: { healthCheckInterval: NaN } });
    expect(r.problems).toEqual([{ field: 'patch.healthCheckInterval', message: 'Health check must be a whole number between 100 and 60,000 ms.' }]);
  });

  it('gives one sentence per problem, and never a schema path or zod symbol', () => {
    const r = problemsOf(requests['pools.configure'].input, { name: 'Main', patch: { maxConnections: 0, reconnectAttempts: 1.5 } });
    expect(r.problems.map((p) => p.field)).toEqual(['patch.maxConnections', 'patch.reconnectAttempts']);
    expect(r.problems[0]!.message).toBe('Max sockets must be between 1 and 64.');
    expect(r.problems[1]!.message).toBe('Failed tries before an address is paused must be a whole number between 1 and 1,000.');
    for (const p of r.problems) expect(p.message).not.toMatch(/✖|→|patch\.|maxConnections|expected|Too (small|big)/);
    expect(r.detail).toMatch(/patch\.maxConnections: too_small/); // the precise detail stays available for the log
  });

  it('a bad URL in the endpoints list is one message, not three', () => {
    for (const bad of ['http://x:1', 'ws://a:99999', 'not a url', 'ws://u:p@host:1']) {
      const r = problemsOf(PoolConfigSchema, { ...pool, endpoints: [...pool.endpoints, bad], maxConnections: 2 });
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]!.field).toBe('endpoints');
      // Named as typed, except a user name and password, which are never repeated back.
      expect(r.problems[0]!.message).toContain(bad.replace('u:p@', '…@'));
      expect(r.problems[0]!.message).not.toContain('u:p@');
    }
  });

  it('keeps the words a schema already has, and labels knock-on rules too', () => {
    expect(problemsOf(PoolConfigSchema, { ...pool, endpoints: [] }).problems).toEqual([{ field: 'endpoints', message: 'A pool needs at least one endpoint.' }]);
    expect(problemsOf(PoolConfigSchema, { ...pool, maxConnections: 1 }).problems[0]!.message).toMatch(/^Max sockets \(1\) must be at least the number of endpoints \(2\)/);
    expect(problemsOf(requests['analytics.configure'].input, { timezone: 'Mars/Olympus' }).problems[0]).toEqual({ field: 'timezone', message: 'Unknown time zone; use a name like Europe/Berlin or America/New_York.' });
  });

  it('an unknown setting or a value outside a list is said plainly', () => {
    expect(problemsOf(requests['desk.configure'].input, { colour: 'red' }).problems[0]!.message).toMatch(/does not know the setting "colour"; reload/);
    expect(problemsOf(requests['analytics.export'].input, { range: { last: '24h' }, format: 'xls' }).problems[0]).toEqual({ field: 'format', message: 'Export format must be one of: csv, json, sqlite.' });
  });

  it('tells a wrong value from a missing one, and a value given where none is taken', () => {
    expect(problemsOf(requests['app.info'].input, 'hello').problems[0]!.message).toBe('This value should not be given: this request takes none.');
    expect(problemsOf(requests['auth.login'].input, { role: 'manager', pin: 1234 }).problems[0]).toEqual({ field: 'pin', message: 'Pin is not valid.' });
    expect(problemsOf(requests['auth.login'].input, { role: 'manager' }).problems[0]).toEqual({ field: 'pin', message: 'Pin is missing.' });
  });
});

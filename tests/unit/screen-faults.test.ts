import { describe, expect, it } from 'vitest';
import { FAULT_BUDGET, screenFaultLog } from '../../src/main/core/screen-faults';
import { requests } from '../../src/shared/contract';
import { FakeClock } from '../helpers/fake-clock';

function rig() {
  const clock = new FakeClock();
  const lines: string[] = [];
  const report = screenFaultLog({ error: (_o: unknown, line: string) => void lines.push(line), warn: (line: string) => void lines.push(line) } as never, clock);
  return { report, lines, advance: (ms: number) => clock.advance(ms) };
}

const desk = { screenId: 'screen-1', role: 'desk' };

describe("a screen's fault reaches the console's log for IT, bounded", () => {
  it('says which part, on which kind of screen, and what failed', () => {
    const { report, lines } = rig();
    expect(report({ where: 'Analytics tab', message: "Cannot read properties of undefined (reading 'x')" }, desk)).toEqual({ logged: true });
    expect(lines).toEqual(["a screen's Analytics tab stopped working (desk): Cannot read properties of undefined (reading 'x')"]);
  });

  it('the same fault from the same screen is logged once in ten minutes; another screen is its own', () => {
    const { report, lines, advance } = rig();
    const fault = { where: 'Health tab', message: 'boom' };
    for (let i = 0; i < 50; i++) report(fault, desk);
    report(fault, { screenId: 'screen-2', role: null });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('(not signed in)');
    advance(10 * 60_000);
    report(fault, desk);
    expect(lines).toHaveLength(3);
  });

  it('a screen sending many different faults gets at most five lines a minute', () => {
    const { report, lines, advance } = rig();
    for (let i = 0; i < 100; i++) report({ where: 'kiosk', message: `fault ${i}` }, desk);
    expect(lines).toHaveLength(5);
    advance(60_000);
    for (let i = 100; i < 200; i++) report({ where: 'kiosk', message: `fault ${i}` }, desk);
    expect(lines).toHaveLength(10);
  });

  it('all screens together get a budget: new screens past it are counted, and the log says how many were left out', () => {
    const { report, lines, advance } = rig();
    // A program reconnecting in a loop: each connection a new screen, within its own limits.
    let logged = 0;
    for (let i = 0; i < 500; i++) logged += Number(report({ where: 'Overview', message: `made up ${i}` }, { screenId: `s${i}`, role: null }).logged);
    expect(logged).toBe(FAULT_BUDGET.burst);
    expect(lines).toHaveLength(FAULT_BUDGET.burst + 1);
    expect(lines.at(-1)).toMatch(/^screens are reporting faults faster than the log takes them .* the next ones are counted, not logged/);
    // A minute on the count is said, though no report came since (review18 L3); then a real screen's fault is logged.
    advance(60_000);
    expect(lines).toHaveLength(FAULT_BUDGET.burst + 2);
    expect(lines.at(-1)).toMatch(/^480 screen fault reports were left out of the log between \d\d:\d\d and \d\d:\d\d: more came than the log takes\.$/);
    expect(report({ where: 'Health tab', message: 'real' }, desk)).toEqual({ logged: true });
    expect(lines.at(-1)).toBe("a screen's Health tab stopped working (desk): real");
  });

  it('no logger (a console started without one) answers, logging nothing', () => {
    const report = screenFaultLog(null, new FakeClock());
    expect(report({ where: 'kiosk', message: 'x' }, desk)).toEqual({ logged: false });
  });

  it('the request refuses what is too long or not its shape', () => {
    const schema = requests['app.reportFault'].input;
    expect(schema.safeParse({ where: 'Analytics tab', message: 'x', stack: 'y' }).success).toBe(true);
    expect(schema.safeParse({ where: 'x'.repeat(61), message: 'x' }).success).toBe(false);
    expect(schema.safeParse({ where: 'a', message: 'x'.repeat(501) }).success).toBe(false);
    expect(schema.safeParse({ where: 'a', message: 'x', stack: 'x'.repeat(4001) }).success).toBe(false);
    expect(schema.safeParse({ where: 'a', message: 'x', extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ where: ' ', message: 'x' }).success).toBe(false);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { tickLabel } from '../../src/renderer/src/components/charts/time-ticks';

// The options read the page's colours; in Node there is no page.
beforeAll(() => {
  Object.assign(globalThis, { document: { documentElement: {} }, getComputedStyle: () => ({ getPropertyValue: () => '' }) });
});

/** What an x axis `width` px wide is given to draw, with labels ~6.5 px a character (12 px sans-serif). */
async function axisTicks(from: number, to: number, width: number): Promise<number[]> {
  const { timeOptions } = await import('../../src/renderer/src/components/charts/setup');
  const x = timeOptions({ from, to }, ' ms').scales!.x as unknown as { afterBuildTicks: (scale: unknown) => void };
  const ctx = { font: '', save() {}, restore() {}, measureText: (s: string) => ({ width: s.length * 6.5 }) };
  const scale = { min: from, max: to, width, ctx, options: { ticks: { font: { size: 12 } } }, ticks: [] as { value: number }[] };
  x.afterBuildTicks(scale);
  return scale.ticks.map((t) => t.value);
}

/** Neighbouring labels, each centred on its tick, at least 16 px apart. */
function apart(ticks: number[], from: number, to: number, width: number): boolean {
  const at = (t: number): number => ((t - from) / (to - from)) * width;
  const half = (t: number): number => (tickLabel(t, to - from).length * 6.5) / 2;
  return ticks.every((t, i) => i === 0 || at(t) - at(ticks[i - 1]!) >= half(t) + half(ticks[i - 1]!) + 16);
}

describe('chart time axis labels', () => {
  const to = new Date('2026-12-05T07:24:00').getTime();
  // The Latency chart on a 1280 px Analytics tab: "Fri 06:00 PMSat 12:00 AMSat 06:00 AM" ran together.
  it.each([
    ['24 h on a narrow chart (wide "1400 ms" labels beside it)', 24 * 3600_000, 230],
    ['24 h at 1024 px', 24 * 3600_000, 300],
    ['7 days', 7 * 24 * 3600_000, 230],
    ['1 h', 3600_000, 200],
    ['5 min live', 5 * 60_000, 180],
  ])('%s: labels never touch, and there are at least two', async (_, span, width) => {
    const ticks = await axisTicks(to - span, to, width);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(apart(ticks, to - span, to, width)).toBe(true);
  });

  it('a wide chart keeps its finer ticks', async () => {
    expect((await axisTicks(to - 24 * 3600_000, to, 900)).length).toBeGreaterThanOrEqual(4);
  });
});

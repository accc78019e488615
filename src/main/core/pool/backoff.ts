/** Full jitter applied after the cap, so retries of many consoles never line up (unlike capping after jitter). */
export function fullJitter(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
}

/** Polls until `check` passes or the deadline ends; the last failure is the error. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5_000, stepMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v !== false && v !== undefined && v !== null) return v;
      if (Date.now() > end) throw new Error(`condition still false after ${timeoutMs} ms`);
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `f` with this process's time zone set to `tz` (Node reads TZ at each Date use), then puts it back. */
export function inTimeZone(tz: string, f: () => void): void {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    f();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

import { useEffect, useState } from 'react';

/** The time now, renewed each second while `on`: for ages shown between the main process's updates. */
export function useSecondTicks(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}

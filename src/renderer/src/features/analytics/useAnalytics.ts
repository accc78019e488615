import { useEffect, useState } from 'react';
import type { AnalyticsView, Category, Range } from '../../../../shared/analytics';
import { consoleApi } from '../../store/sync';

/** Fetches the view for a range; live views refresh every 5 s, export views never change. */
export function useAnalytics(range: Range, categories: Category[], reloadKey: number) {
  const [view, setView] = useState<AnalyticsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify([range, categories, reloadKey]);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      const r = await consoleApi().call('analytics.view', { range, categories });
      if (!alive) return;
      if (r.ok) {
        setView(r.value);
        setError(null);
        if (r.value.source.kind === 'live') timer = setTimeout(() => void load(), 5_000);
      } else setError(r.error.message);
    };
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { view, error };
}

import { useEffect, useEffectEvent } from 'react';
import { WedgeDetector, type WedgeResult } from '../../../shared/wedge';

/** When the page last saw a key, on any screen (capture phase: before the screen's own handlers). */
let lastKey = -Infinity;
if (typeof window !== 'undefined') window.addEventListener('keydown', (e) => (lastKey = e.timeStamp), true);
export const lastKeyAt = (): number => lastKey;

/**
 * Catches a card reader's entries on a kiosk screen that is not the scan prompt (the manager PIN
 * prompt, a closed station), before the focused control sees the Enter that ends them: a burst must
 * never press a button or be sent as a PIN. `catches` says which entries are cards there (a scan; at
 * a closed station anything typed then Enter too); `onCard` is told, the key is stopped.
 * `longestTyped`: in a PIN prompt anything longer than a PIN is a card, whatever its pace.
 */
export function useScanCatcher(onCard: () => void, opts: { longestTyped?: number; catches?: (r: WedgeResult) => boolean } = {}): void {
  const card = useEffectEvent(onCard);
  const catches = useEffectEvent((r: WedgeResult) => (opts.catches ? opts.catches(r) : r?.kind === 'scan'));
  const { longestTyped } = opts;
  useEffect(() => {
    const wedge = new WedgeDetector(longestTyped === undefined ? {} : { longestTyped });
    // Capture phase: stopped before the focused button or form takes the Enter.
    const onKey = (e: KeyboardEvent): void => {
      // The event's own time: when the key came in, not when a busy page got round to it.
      if (!catches(wedge.key(e.key, e.timeStamp))) return;
      e.preventDefault();
      e.stopPropagation();
      card();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [longestTyped]);
}

/**
 * A PIN form on a kiosk must never strand the station: Escape closes it, and so does `ms` without a
 * key (a form left open would take the next member's scans as PIN attempts).
 */
export function useClosesByItself(onClose: () => void, ms: number): void {
  const close = useEffectEvent(onClose);
  useEffect(() => {
    let timer = setTimeout(close, ms);
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        return close();
      }
      clearTimeout(timer);
      timer = setTimeout(close, ms);
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [ms]);
}

import { useEffect } from 'react';

/** A staff screen left open at a kiosk (member names, cards, search, the door) goes back to check-in after this long unused. */
export const KIOSK_STAFF_IDLE_MS = 120_000;

/** Said on that screen while it is up, so staff know it will close under them. */
export const KIOSK_STAFF_IDLE_WORDS = `This kiosk goes back to check-in after ${KIOSK_STAFF_IDLE_MS / 60_000} minutes without use.`;

/** Calls `expire` once the page has gone `ms` without a key, click, touch, scroll or pointer move, while `on`. */
export function useExpireWhenIdle(on: boolean, expire: () => void, ms = KIOSK_STAFF_IDLE_MS): void {
  useEffect(() => {
    if (!on) return;
    let timer = setTimeout(expire, ms);
    const used = (): void => {
      clearTimeout(timer);
      timer = setTimeout(expire, ms);
    };
    const kinds = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
    for (const k of kinds) window.addEventListener(k, used, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const k of kinds) window.removeEventListener(k, used, { capture: true });
    };
  }, [on, expire, ms]);
}

import type { StatePatch } from '../../../shared/state';

/**
 * In the browser form, each alert notice that arrives in a patch becomes a browser notification (the
 * desktop app's main process shows its own, so a window there shows none). A snapshot's old notices are not repeated.
 */
export function showNotices(patch: StatePatch): void {
  if (window.gym || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  for (const n of patch.feeds.notices ?? []) new Notification(n.title, { body: n.text, tag: n.id });
}

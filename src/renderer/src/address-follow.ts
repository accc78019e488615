import { askedTab } from './tab-nav';

/**
 * An open page whose address is edited (only the `#…` part, so the browser does not load it again):
 * what the page must do to match it. The tab is followed in place; a changed key (`token`) or kiosk
 * mark needs the page loaded afresh, as a new screen, since the link and the kind of screen are set
 * when it loads. Nothing here writes the address, so following it cannot loop.
 */
export function addressChange(before: string, after: string): 'reload' | 'tab' | 'none' {
  const a = new URLSearchParams(before.replace(/^#/, ''));
  const b = new URLSearchParams(after.replace(/^#/, ''));
  if (a.get('token') !== b.get('token') || a.has('kiosk') !== b.has('kiosk')) return 'reload';
  const tab = askedTab(after);
  return tab !== undefined && tab !== askedTab(before) ? 'tab' : 'none';
}

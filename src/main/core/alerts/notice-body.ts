import type { AlertNotice } from '../../../shared/health';

/**
 * Which gym and which PC a notice comes from: a desk and a kiosk (each with its own webhooks) may post to one
 * receiver, and "Critical: Disk space" alone cannot be traced to a PC.
 */
export interface NoticeSource {
  /** The gym's name (Analytics → Gym name), or words saying none is set. */
  site: string;
  station: 'front desk' | 'kiosk' | 'review PC';
  /** This PC's host name. */
  host: string;
}

/** "Riverside Gym, kiosk on FRONT-2": said first in a notice's title and last in its text. */
export const sourceWords = (s: NoticeSource): string => `${s.site}, ${s.station} on ${s.host}`;

/**
 * The signed webhook body, Standard Webhooks' shape. The notice's own fields stay as they were (receivers
 * already read them); the source is added: as fields, and in words in the title and text people read.
 */
export function webhookBody(n: AlertNotice, from: NoticeSource | null): string {
  const data = from ? { ...n, title: `${sourceWords(from)}: ${n.title}`, text: `${n.text} (From ${sourceWords(from)}.)`, site: from.site, station: from.station, host: from.host } : n;
  return JSON.stringify({ type: `alert.${n.kind}`, timestamp: new Date(n.at).toISOString(), data });
}

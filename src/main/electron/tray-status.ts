import type { LinkState } from '../../shared/state';

/** What the tray says about the backend, in the front desk's words, and its picture in resources/tray/. */
export const TRAY_STATUS: Record<LinkState, { icon: string; words: string }> = {
  connected: { icon: 'tray/connected.png', words: 'Connected to the gym backend' },
  degraded: { icon: 'tray/degraded.png', words: 'Backend degraded: some connections are down, check-ins still go through' },
  offline: { icon: 'tray/offline.png', words: 'Offline: check-ins are kept on this PC and sent when the backend is back' },
};

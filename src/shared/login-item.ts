import { z } from 'zod';

/** "Start at login": a kiosk station comes back by itself after a power cut or a restart. */
export interface StartAtLogin {
  /** False in the browser form: the PC's own startup settings start it there. */
  available: boolean;
  on: boolean;
  /** Started at login as it runs now: a kiosk comes back as a kiosk. */
  asKiosk: boolean;
}

export const StartAtLoginChangeSchema = z.object({ on: z.boolean() }).strict();

/**
 * The big round badge on every verdict, desk and kiosk: the outcome, never the member's initials. Initials are read
 * as words at a glance ("Omar Kim" was a big OK on a red "Denied: payment overdue" card, "Nora Olsen" a NO on a
 * green one); the name is written in full beside the badge.
 */
export const VERDICT_MARK = {
  allowed: '✓',
  denied: '✕',
  /** Nothing could be checked (a card not read, a check-in not taken): the member goes to the desk or scans again. */
  unsure: '!',
} as const;

/** A socket lost this soon after a message went out first in its lane was lost to that message, maybe. */
const DROPPED_AT_ONCE_MS = 2_000;
/**
 * That many times in a row, and it is a message the backend cannot take: a dead letter, so the lane
 * moves on. Only with evidence it is this message, though, not a backend that dies on anything (one
 * crash-looping under its supervisor while its database is down made 8 drops in 10 s of a check-in
 * it took once back): the backend took other messages since the first of those drops, or they span
 * POISON_SPAN_MS.
 */
const POISON_DROPS = 8;
/** Drops in a row over this long are a message the backend cannot take, though it took nothing else meanwhile: a crash loop is over sooner. */
const POISON_SPAN_MS = 10 * 60_000;

/** What the drop count needs of a message: when it was last sent (mono), its drops in a row, and the first of them. */
export interface Droppable {
  sentAt: number;
  drops: number;
  /** When (mono), and how many messages the backend had acknowledged by then. */
  firstDrop?: { at: number; acks: number };
}

/**
 * Counts a socket the backend dropped with `msg` first in its lane (`acks`: messages it acknowledged so far this run).
 * Returns why the drops are this message's, in words for its dead letter, once they are; null while they are not,
 * or the backend may as well be dying on anything.
 */
export function droppedOn(msg: Droppable, now: number, acks: number): string | null {
  msg.drops = now - msg.sentAt < DROPPED_AT_ONCE_MS ? msg.drops + 1 : 0;
  if (msg.drops === 1) msg.firstDrop = { at: now, acks };
  if (msg.drops < POISON_DROPS || !msg.firstDrop) return null;
  if (acks > msg.firstDrop.acks) return ', though it took other messages meanwhile';
  const span = now - msg.firstDrop.at;
  return span >= POISON_SPAN_MS ? ` over ${Math.round(span / 60_000)} min` : null;
}

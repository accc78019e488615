/**
 * Text a backend (or anyone on the network) supplies for people to read: member and instance names,
 * error messages, close reasons. Explicit direction controls (embeddings, overrides, isolates) are
 * removed, so a name cannot turn the rest of a line around (an override in a name reverses what follows it); so are
 * invisible zero-width spaces and BOMs, which made two names look the same. Zero-width (non-)joiners,
 * which some scripts and emoji need, and the plain direction marks stay.
 */
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF]/;
const ALL_HIDDEN = new RegExp(HIDDEN.source, 'g');

export const backendText = (s: string): string => (HIDDEN.test(s) ? s.replace(ALL_HIDDEN, '') : s);

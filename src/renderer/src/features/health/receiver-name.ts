/**
 * The receiver as a row names it: its host, and where other addresses share that host (two channels on one chat
 * service) the end of its path too (probe25 Q5). Only the end of a long one: such paths often are the secret.
 */
export const receiverName = (url: string, others: readonly string[]): string => {
  try {
    const u = new URL(url);
    const shared = others.some((o) => o !== url && URL.canParse(o) && new URL(o).host === u.host);
    const path = `${u.pathname}${u.search}`;
    if (!shared || path === '/') return u.host;
    return `${u.host}${path.length <= 12 ? path : `/…${path.slice(-4)}`}`;
  } catch {
    return url;
  }
};

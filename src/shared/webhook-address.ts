const CREDENTIALS =
  'A webhook address must not carry a user name or password (the "name:password@" part): the console cannot send to such an address, and the signing secret already tells the receiver who sent it. Save the address without them.';

/**
 * Why the console could never send to this http(s) address, in plain words; null when it can (or when
 * it is not an http(s) URL at all, which the address schema says itself). Fetch refuses such an address on
 * every attempt, so it is refused when saved rather than retried for a day.
 */
export function webhookAddressProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return CREDENTIALS;
  return null;
}

/**
 * `text` with the password of any URL in it shown as "***". An older console saved such addresses, and
 * fetch's own error repeats the whole URL: lists, logs and errors show them through this.
 */
export function hidePassword(text: string): string {
  // The password runs to the last "@" before the path, as in the URL parser; a user name has no ":".
  return text.replace(/(\b[a-z][a-z\d+.-]*:\/\/[^\s/\\?#:]*:)[^\s/\\?#]*@/gi, '$1***@');
}

/**
 * Ports that fetch refuses outright ("bad port"): the WHATWG Fetch standard's list, kept for mail, file
 * transfer, chat and the like. Node's fetch (undici) does not export its copy, so it is written out here;
 * a test checks every one against Node's own fetch.
 */
export const FETCH_BAD_PORTS: ReadonlySet<string> = new Set([
  '1', '7', '9', '11', '13', '15', '17', '19', '20', '21', '22', '23', '25', '37', '42', '43', '53', '69', '77', '79',
  '87', '95', '101', '102', '103', '104', '109', '110', '111', '113', '115', '117', '119', '123', '135', '137',
  '139', '143', '161', '179', '389', '427', '465', '512', '513', '514', '515', '526', '530', '531', '532',
  '540', '548', '554', '556', '563', '587', '601', '636', '989', '990', '993', '995', '1719', '1720', '1723',
  '2049', '3659', '4045', '4190', '5060', '5061', '6000', '6566', '6665', '6666', '6667', '6668', '6669', '6679',
  '6697', '10080',
]);

const CREDENTIALS =
  'A webhook address must not carry a user name or password (the "name:password@" part): the console cannot send to such an address, and the signing secret already tells the receiver who sent it. Save the address without them.';

/**
 * Why the console could never send to this http(s) address, in plain words; null when it can (or when
 * it is not an http(s) URL at all, which the address schema says itself). Fetch refuses both cases on
 * every attempt, so they are refused when saved rather than retried for a day.
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
  if (url.port === '0') return 'Port 0 is not one a receiver can listen on; give the receiver’s own port, such as 443 or 8080.';
  if (FETCH_BAD_PORTS.has(url.port)) {
    return `Port ${url.port} is one web clients never use (it is kept for mail, file transfer, chat and the like), so the console cannot send there. Give the receiver a web port, such as 443 or 8080.`;
  }
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

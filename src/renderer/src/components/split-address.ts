/** "ws://10.0.0.5:9100" → host "10.0.0.5", port ":9100" (a bare host keeps no port). */
export function splitAddress(url: string): { host: string; port: string } {
  const bare = url.replace(/^wss?:\/\//, '').replace(/\/$/, '');
  const m = /^(.*?)(:\d+)?$/.exec(bare)!;
  return { host: m[1]!, port: m[2] ?? '' };
}

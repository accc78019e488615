/** "ws://10.0.0.5:9100" → host "10.0.0.5", port ":9100" (a bare host keeps no port). */
export function splitAddress(url: string): { host: string; port: string } {
  const bare = url.replace(/^wss?:\/\//, '').replace(/\/$/, '');
  const m = /^(.*?)(:\d+)?$/.exec(bare)!;
  return { host: m[1]!, port: m[2] ?? '' };
}

/**
 * A backend address on one line: a long host name gives way with an ellipsis, the port never does
 * (two instances differ only by it), and the full address is in the tooltip.
 */
export function Address({ url, className = '' }: { url: string; className?: string }) {
  const { host, port } = splitAddress(url);
  return (
    <span className={`addr num ${className}`} title={url}>
      <span className="addr-host">{host}</span>
      <span className="addr-port">{port}</span>
    </span>
  );
}

import { splitAddress } from './split-address';

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

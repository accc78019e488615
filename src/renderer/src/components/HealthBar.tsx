/** A 0–100 bar whose colour follows the same thresholds as the pools: 60 and 40. */
export function HealthBar({ value, label }: { value: number; label: string }) {
  const level = value >= 60 ? 'ok' : value >= 40 ? 'warn' : 'crit';
  return (
    <div className={`bar bar-${level} bar-inline`} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value)}>
      <div style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
    </div>
  );
}

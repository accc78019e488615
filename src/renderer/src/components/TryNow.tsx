import { useState } from 'react';
import { nextTryWords, plural } from '../../../shared/words';
import { useCan } from '../store/auth-hooks';
import { ErrorText } from './ErrorText';
import { useCall } from './useCall';
import { useSecondTicks } from './useSecondTicks';

/**
 * Ms left as of the view main last sent, counted down here each second until the next view says anew.
 * Mounted only while there is a wait, so its ticks (and the time it starts from) are always fresh.
 */
function useCountdown(ms: number): number {
  const now = useSecondTicks(true);
  const [base, setBase] = useState(() => ({ ms, at: now }));
  // A new view restarts the count from what it says (state kept from the render before: React's own pattern);
  // from the last tick, so at most a second early.
  if (base.ms !== ms) setBase({ ms, at: now });
  return Math.max(0, Math.min(ms, ms - (now - base.at)));
}

function Countdown({ ms }: { ms: number }) {
  return (
    <span className="muted next-try">
      <span className="sep"> · </span>
      {nextTryWords(useCountdown(ms))}
    </span>
  );
}

/** "next try in 12 s" for one address that is down and waiting, or nothing. */
export function NextTry({ ms }: { ms: number | null }) {
  return ms === null ? null : <Countdown ms={ms} />;
}

/**
 * Every waiting backend address tries at once: after the backend came back, staff need not sit out
 * up to 30 s of "Offline". Main refuses presses closer than 5 s apart, in words shown here.
 */
/** `afterFix`: addresses waiting on a fix (a refused token…): offered only once the rows' fix is made, never as if waiting could help. */
export function TryNow({ waiting, afterFix = 0, testId }: { waiting: number; afterFix?: number; testId: string }) {
  const can = useCan('backend.tryNow');
  const { call, error, busy } = useCall();
  const [told, setTold] = useState<string | null>(null);
  if (!can || waiting + afterFix === 0) return null;
  const fixFirst = waiting === 0;
  const press = async (): Promise<void> => {
    setTold(null);
    const r = await call('backend.tryNow', undefined);
    if (r.ok) setTold(r.value.tried ? `Trying ${plural(r.value.tried, 'address', 'addresses')} now.` : 'No address was waiting.');
  };
  return (
    <div className="try-now" data-testid={testId}>
      <button type="button" onClick={() => void press()} disabled={busy} aria-describedby={`${testId}-why`}>
        {fixFirst ? 'Try again after the fix' : 'Try now'}
      </button>
      <span id={`${testId}-why`} className="muted">
        {told ??
          (fixFirst
            ? `Waiting will not help: once IT has made the fix the ${afterFix === 1 ? 'address says' : 'addresses say'}, this tries ${afterFix === 1 ? 'it' : `all ${afterFix}`} at once.`
            : `If the backend is back, this tries ${waiting === 1 ? 'the waiting address' : `all ${waiting} waiting addresses`} at once instead of waiting.`)}
      </span>
      <ErrorText message={error} />
    </div>
  );
}

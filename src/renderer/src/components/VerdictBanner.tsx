import type { CheckinResult } from '../../../shared/desk';
import { REASON_WORDS, STATUS_WORDS } from '../../../shared/words';
import { formatDay } from '../format';

/**
 * The outcome of a check-in in words: allowed or denied, always with the reason. At the desk (`card`
 * given) also which member (id and card: names repeat) and, for a denial, what to do next.
 */
export function VerdictBanner({ result, big = false, card, nextStep }: { result: CheckinResult; big?: boolean; card?: string; nextStep?: string }) {
  if (result.ignored === 'not-read') return <div className={`verdict-banner no ${big ? 'big' : ''}`}>Card not read. Please scan again.</div>;
  if (result.ignored === 'bounce') return null;
  const v = result.verdict!;
  const m = result.member;
  const initials = m ? m.name.split(' ').map((p) => p[0]).join('').slice(0, 2) : '?';
  return (
    <div className={`verdict-banner ${v.allowed ? 'ok' : 'no'} ${big ? 'big' : ''}`} role="status" data-testid="verdict">
      <span className="initials" aria-hidden="true">
        {initials}
      </span>
      <div>
        <div className="who">{m?.name ?? 'Unknown card'}</div>
        {card !== undefined && (
          <div className="muted num" data-testid="verdict-ids">
            {m ? `${m.id} · card ${m.cardId}` : `card ${card}`}
          </div>
        )}
        <div className="why">{REASON_WORDS[v.reason]}</div>
        {m && <div className="status muted">{STATUS_WORDS[m.status].line(formatDay(m.expiresOn))}</div>}
        {/* A member turned away at a kiosk needs to know where to go next. */}
        {big && !v.allowed && <div className="next-step">Please see the front desk.</div>}
        {!big && !v.allowed && nextStep && (
          <div className="next-step" data-testid="next-step">
            {nextStep}
          </div>
        )}
        {/* Members at a kiosk read it too: the gym's system, not "the backend". */}
        {result.offline && (
          <div className="offline-note">
            {big ? 'Decided on this PC while the gym’s system is offline; it is confirmed with it later.' : 'Decided on this PC: the backend could not answer just now. It will be confirmed with the backend when it can.'}
          </div>
        )}
      </div>
    </div>
  );
}

import type { CheckinResult } from '../../../shared/desk';
import { REASON_WORDS, STATUS_WORDS } from '../../../shared/words';
import { backendId } from '../../../shared/backend-text';
import { formatDay } from '../format';

/**
 * The outcome of a check-in in words for staff: allowed or denied, always with the reason (a kiosk says
 * less: kiosk/KioskVerdict). With `card` also which member (id and card: names repeat) and, for a
 * denial, what to do next.
 */
export function VerdictBanner({ result, card, nextStep }: { result: CheckinResult; card?: string; nextStep?: string }) {
  if (result.ignored === 'not-read') return <div className="verdict-banner no">Card not read. Please scan again.</div>;
  if (result.ignored === 'bounce') return null;
  const v = result.verdict!;
  const m = result.member;
  const initials = m ? m.name.split(' ').map((p) => p[0]).join('').slice(0, 2) : '?';
  const day = m ? formatDay(m.expiresOn) : '';
  const line = m ? STATUS_WORDS[m.status].line(day) : '';
  // "Denied: payment overdue" then "Payment overdue" says it twice: the standing is left out when it is the reason and has no date to add.
  const standing = m && !(v.reason === m.status && !line.includes(day)) ? line : null;
  return (
    <div className={`verdict-banner ${v.allowed ? 'ok' : 'no'}`} role="status" data-testid="verdict">
      <span className="initials" aria-hidden="true">
        {initials}
      </span>
      <div>
        <div className="who">{m?.name ?? 'Unknown card'}</div>
        {card !== undefined && (
          <div className="muted num" data-testid="verdict-ids">
            {m ? `${backendId(m.id)} · card ${backendId(m.cardId)}` : `card ${backendId(card)}`}
          </div>
        )}
        <div className="why">{REASON_WORDS[v.reason]}</div>
        {standing && <div className="status muted">{standing}</div>}
        {!v.allowed && nextStep && (
          <div className="next-step" data-testid="next-step">
            {nextStep}
          </div>
        )}
        {result.offline && <div className="offline-note">Decided on this PC: the backend could not answer just now. It will be confirmed with the backend when it can.</div>}
      </div>
    </div>
  );
}

import type { CheckinResult } from '../../../shared/desk';
import { REASON_WORDS, STATUS_WORDS } from '../../../shared/words';
import { formatDay } from '../format';

/** The outcome of a check-in in words: allowed or denied, always with the reason. */
export function VerdictBanner({ result, big = false }: { result: CheckinResult; big?: boolean }) {
  if (result.ignored === 'not-read') return <div className={`verdict-banner no ${big ? 'big' : ''}`}>Card not read. Please scan again.</div>;
  if (result.ignored === 'bounce') return null;
  const v = result.verdict!;
  const m = result.member;
  const initials = m ? m.name.split(' ').map((p) => p[0]).join('').slice(0, 2) : '?';
  const day = m ? formatDay(m.expiresOn) : '';
  const line = m ? STATUS_WORDS[m.status].line(day) : '';
  // "Denied: payment overdue" then "Payment overdue" says it twice: the standing is left out when it is the reason and has no date to add.
  const standing = m && !(v.reason === m.status && !line.includes(day)) ? line : null;
  return (
    <div className={`verdict-banner ${v.allowed ? 'ok' : 'no'} ${big ? 'big' : ''}`} role="status" data-testid="verdict">
      <span className="initials" aria-hidden="true">
        {initials}
      </span>
      <div>
        <div className="who">{m?.name ?? 'Unknown card'}</div>
        <div className="why">{REASON_WORDS[v.reason]}</div>
        {standing && <div className="status muted">{standing}</div>}
        {/* A member turned away at a kiosk needs to know where to go next. */}
        {big && !v.allowed && <div className="next-step">Please see the front desk.</div>}
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

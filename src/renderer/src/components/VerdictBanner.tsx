import type { ReactNode } from 'react';
import type { CheckinResult } from '../../../shared/desk';
import { answeredAfterEventNote, decidedHereNote, REASON_WORDS, standingLine } from '../../../shared/words';
import type { AnsweredCheckin } from '../../../shared/state';
import { backendId } from '../../../shared/backend-text';
import { formatClock, formatDay } from '../format';
import { ShownName } from './ShownName';
import { firstName } from '../../../shared/person-name';
import { VERDICT_MARK } from './verdict-mark';

/**
 * The outcome of a check-in in words for staff: allowed or denied, always with the reason (a kiosk says
 * less: kiosk/KioskVerdict). With `card` also which member (id and card: names repeat) and, for a
 * denial, what to do next.
 */
export function VerdictBanner({ result, card, nextStep, answer }: { result: CheckinResult; card?: string; nextStep?: string; answer?: AnsweredCheckin }) {
  if (result.ignored === 'not-read') return <div className="verdict-banner no">Card not read. Please scan again.</div>;
  if (result.ignored === 'bounce') return null;
  // Shown from the live events, then answered otherwise: the answer names the member, and wins.
  const m = answer?.fromEvent && answer.member !== undefined ? answer.member : result.member;
  if (result.ignored === 'repeat') return <AlreadyLetIn result={result} card={card} />;
  // Decided on this PC and answered by the backend since: its verdict wins, and the note says what changed.
  const v = answer?.verdict ?? result.verdict!;
  const first = m ? firstName(m.name) : null;
  const note = result.offline
    ? decidedHereNote({ storageDown: result.storageDown, wrongAnswer: result.wrongAnswer, first, turnedAway: result.verdict?.allowed === false }, answer)
    : answer?.fromEvent && answer.verdict
      ? { text: answeredAfterEventNote(first, answer.verdict), tone: 'changed' as const }
      : null;
  const day = m ? formatDay(m.expiresOn) : '';
  const line = m ? standingLine(m, day, result.today) : '';
  // "Denied: payment overdue" then "Payment overdue" says it twice: the standing is left out when it is the reason and has no date to add.
  const standing = m && !(v.reason === m.status && !line.includes(day)) ? line : null;
  return (
    <Banner tone={v.allowed ? 'ok' : 'no'} member={m} card={card}>
        <div className="why">{REASON_WORDS[v.reason]}</div>
        {standing && <div className="status muted">{standing}</div>}
        {!v.allowed && nextStep && (
          <div className="next-step" data-testid="next-step">
            {nextStep}
          </div>
        )}
        {note && (
          <div className={`offline-note ${note.tone}`} data-testid="decided-here">
            {note.text}
          </div>
        )}
    </Banner>
  );
}

/** The frame every desk verdict shares: the outcome's mark (verdict-mark.ts), whose card, then what was decided. */
function Banner({ tone, member, card, children }: { tone: 'ok' | 'no' | 'again'; member: CheckinResult['member']; card?: string; children: ReactNode }) {
  return (
    <div className={`verdict-banner ${tone}`} role="status" data-testid="verdict">
      <span className="verdict-mark" aria-hidden="true" data-testid="verdict-mark">
        {tone === 'no' ? VERDICT_MARK.denied : VERDICT_MARK.allowed}
      </span>
      <div>
        {member ? <ShownName as="div" className="who" name={member.name} /> : <div className="who">Unknown card</div>}
        <WhichMember member={member} card={card} />
        {children}
      </div>
    </div>
  );
}

/** The card this station let in moments ago, pressed or scanned again: the same visit, so nothing was sent. */
function AlreadyLetIn({ result, card }: { result: CheckinResult; card?: string }) {
  const m = result.member;
  const at = result.insideSince === undefined ? '' : ` at ${formatClock(result.insideSince)}`;
  return (
    <Banner tone="again" member={m} card={card}>
      <div className="why">Already let in here{at}</div>
      <div className="status muted">The same visit: not sent again, so the live list shows one check-in.</div>
    </Banner>
  );
}

/** Which member, by id and card (names repeat); which card, when no member has it. */
function WhichMember({ member: m, card }: { member: CheckinResult['member']; card?: string }) {
  if (card === undefined) return null;
  return (
    <div className="muted num" data-testid="verdict-ids">
      {m ? `${backendId(m.id)} · card ${backendId(m.cardId)}` : `card ${backendId(card)}`}
    </div>
  );
}

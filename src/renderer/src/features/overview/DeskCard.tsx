import { useEffect, useRef, useState, type FormEvent } from 'react';
import { leftOutSearchWords, NEXT_STEP_WORDS, foundInCopyWords, noMatchWords, overridable, STATUS_WORDS } from '../../../../shared/words';
import type { CheckinResult } from '../../../../shared/desk';
import type { Member } from '../../../../shared/protocol';
import { backendId } from '../../../../shared/backend-text';
import { useCall } from '../../components/useCall';
import { VerdictBanner } from '../../components/VerdictBanner';
import { ShownName } from '../../components/ShownName';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { consoleStore, useConsole } from '../../store/console-store';
import { formatClock, formatDay } from '../../format';
import { hasEnded } from '../../../../shared/membership-day';

/**
 * What tells namesakes apart in the list: the phone's last digits and the membership's date, by tense against the
 * gym's `today` (sent with the list): "ended" once past, whatever status the backend stored; "until" today and after.
 */
export function tellApart(m: Member, today?: string): string {
  const digits = m.phone.replace(/\D/g, '');
  const phone = digits.length >= 4 ? `phone …${digits.slice(-4)}` : '';
  const ended = m.status !== 'frozen' && m.status !== 'unpaid' && today !== undefined && hasEnded(m.expiresOn, today);
  const day = m.expiresOn ? `${ended ? 'ended' : m.status === 'expired' ? 'expired' : 'until'} ${formatDay(m.expiresOn)}` : '';
  return [phone, day].filter(Boolean).join(' · ') || 'no phone or date on file';
}

/** Look a member up by name, card, id or phone; check them in; override a denial with a note. */
export function DeskCard() {
  const search = useCall();
  const checkin = useCall();
  const [query, setQuery] = useState('');
  /** `sawAway`: the backend was away when a list from this PC's copy came, or since; `backNow`: it has come back since. */
  const [found, setFound] = useState<{ query: string; members: Member[]; source: string; total?: number; leftOut?: number; today?: string; sawAway?: boolean; backNow?: boolean } | null>(null);
  // A list from the copy stays up when the backend comes back: its "could not answer" then says it was so, not is.
  useEffect(
    () =>
      consoleStore.subscribe((s) => {
        const away = s.connection.state === 'offline';
        // Away again after it came back: "it is back now" would be untrue (probe27a P5).
        setFound((f) => (f?.source !== 'cache' ? f : away ? (f.sawAway && !f.backNow ? f : { ...f, sawAway: true, backNow: false }) : f.sawAway && !f.backNow ? { ...f, backNow: true } : f));
      }),
    [],
  );
  /** Cards let in from this list: their button says so, and a stray second press sends nothing. */
  const [checkedIn, setCheckedIn] = useState<ReadonlySet<string>>(new Set());
  const findBox = useRef<HTMLInputElement>(null);
  const noteBox = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<{ cardId: string; r: CheckinResult } | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  /** A second press within the bounce window: nothing was sent, and staff are told so. */
  const [bounced, setBounced] = useState<string | null>(null);

  const capacity = useConsole((s) => s.occupancy.capacity);
  const inside = useConsole((s) => s.occupancy.count);
  // A verdict this PC decided itself follows the backend's answer once it comes (it wins).
  const answers = useConsole((s) => s.answeredCheckins);
  const answer = result?.r.key === undefined ? undefined : answers.find((a) => a.key === result.r.key);
  const lookup = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    // A new search is a new member: the last one's verdict must not look like theirs. A member who left
    // and came back is found again with a Check in button (the backend says "already checked in").
    setResult(null);
    setBounced(null);
    setNote('');
    setNoteError(null);
    setCheckedIn(new Set());
    checkin.clearError();
    const r = await search.call('desk.lookup', { query });
    // A failed search (an empty one included) is not the last one's answer: its list goes.
    setFound(r.ok ? { ...r.value, query: query.trim(), sawAway: consoleStore.getState().connection.state === 'offline' } : null);
  };
  const checkIn = async (cardId: string, override?: string): Promise<void> => {
    const r = await checkin.call('desk.checkin', { cardId, source: 'desk', override: override ? { note: override } : undefined });
    // The last verdict stays up no longer: beside this failure it would read as this check-in's answer.
    if (!r.ok) return setResult(null);
    if (r.value.ignored === 'bounce') return setBounced(cardId);
    setBounced((b) => (b === cardId ? b : null)); // the first press's verdict may arrive after the bounce
    setResult({ cardId, r: r.value });
    setNote('');
    if (r.value.verdict?.allowed) setCheckedIn((s) => new Set(s).add(cardId));
  };
  // After a verdict the keyboard leaves the Check in button (a stray second Enter would log a denial) for the
  // next step: the override note if one is offered, else the Find box with its text selected (typing the
  // next member replaces it; the list still matches what it says).
  useEffect(() => {
    if (!result) return;
    if (noteBox.current) noteBox.current.focus();
    else findBox.current?.select();
  }, [result]);
  const more = found?.total !== undefined && found.total > found.members.length;
  const verdict = answer?.verdict ?? result?.r.verdict;
  // Its Check in button follows that answer too: "✓ Checked in" when the backend let them in, back when it did not.
  const shownCheckedIn = !result || !answer?.verdict ? checkedIn : new Set([...checkedIn].filter((c) => c !== result.cardId).concat(answer.verdict.allowed ? [result.cardId] : []));
  // Not offered where the backend refuses it anyway (a full gym) or there is nobody to let in (an unknown card).
  // Decided here on a full gym, it is this PC's estimate: staff who see room may let them in (the backend may still refuse).
  const estimate = !!result?.r.offline && !answer?.verdict;
  // The backend's count at the capacity: any override but of one already inside would be refused (readme27 W2).
  const fullNow = !estimate && capacity > 0 && inside >= capacity && verdict?.reason !== 'duplicate';
  const denied = verdict && !verdict.allowed && result?.r.member && overridable(verdict.reason, estimate) && !fullNow;
  const nextStep =
    result && verdict && !verdict.allowed
      ? NEXT_STEP_WORDS[verdict.reason]({
          insideSince: result.r.insideSince === undefined ? undefined : formatClock(result.r.insideSince),
          count: result.r.occupancy ?? undefined,
          capacity,
          // Once the backend has answered, the count is its own, not this PC's estimate (readme27 W1).
          offline: estimate,
          fullNow,
        })
      : undefined;

  return (
    <section className="card desk" aria-labelledby="desk-title">
      <h2 id="desk-title">Front desk</h2>
      <form className="lookup" onSubmit={(e) => void lookup(e)}>
        <input ref={findBox} data-first-control value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name, card, member id or phone" aria-label="Find a member" />
        <button type="submit" disabled={search.busy}>
          Find
        </button>
      </form>
      {search.error && <p className="error-text">{search.error}</p>}
      {found && (
        <>
          {found.members.length === 0 ? (
            <p className="warn-text" data-testid="found-count">
              {noMatchWords(found.query, found.source === 'cache', found.backNow)}
            </p>
          ) : (
            <p className="muted" data-testid="found-count">
              {more ? `${found.members.length} of ${found.total} shown` : `${found.members.length} found`}
              {found.source === 'cache' ? foundInCopyWords(!!found.backNow) : ''}.{more && ' Type more to narrow it.'}
            </p>
          )}
          {found.leftOut ? (
            <p className="warn-text" data-testid="found-left-out">
              {leftOutSearchWords(found.leftOut)}
            </p>
          ) : null}
          <FoundMembers members={found.members} today={found.today} checkedIn={shownCheckedIn} onCheckIn={(cardId) => void checkIn(cardId)} />
        </>
      )}
      {result && <VerdictBanner result={result.r} card={result.cardId} nextStep={nextStep} answer={answer} />}
      {bounced && (
        <p className="warn-text" role="status" data-testid="bounce-note">
          Already sent a moment ago: this second press was not sent again. The verdict shown is the answer.
        </p>
      )}
      {denied && (
        <form
          className="override"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim().length < 3) {
              setNoteError('An override needs a note saying why (at least 3 characters).');
              // Pressed with the mouse, the focus is on the button: back to the note, where the fix is typed.
              noteBox.current?.focus();
              return;
            }
            setNoteError(null);
            void checkIn(result.cardId, note);
          }}
        >
          <input ref={noteBox} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Why let them in? (required)" aria-label="Override note" {...invalidProps(noteError, 'override-note-error')} />
          <button type="submit" className="danger" disabled={checkin.busy}>
            Override and let in
          </button>
        </form>
      )}
      <ErrorText message={noteError ?? checkin.error} id={noteError ? 'override-note-error' : undefined} />
    </section>
  );
}

/** The members a lookup found, ids shown as backendId shows them, each with its Check in button (which sends the card exactly as the backend has it). */
export function FoundMembers({ members, today, checkedIn = new Set(), onCheckIn }: { members: Member[]; today?: string; checkedIn?: ReadonlySet<string>; onCheckIn: (cardId: string) => void }) {
  return (
    <ul className="members" data-testid="members">
      {members.map((m) => (
        <li key={m.id}>
          <span className="member-line">
            <ShownName as="strong" name={m.name} /> <span className="muted num">{backendId(m.id)} · {backendId(m.cardId)}</span>
            <span className="muted small tell-apart"> · {tellApart(m, today)}</span>
          </span>
          <span className={`status-tag status-${m.status}`}>{STATUS_WORDS[m.status].tag}</span>
          {checkedIn.has(m.cardId) ? (
            <button type="button" className="done" disabled aria-label={`${m.name} (${backendId(m.id)}) is checked in`}>
              ✓ Checked in
            </button>
          ) : (
            <button type="button" onClick={() => onCheckIn(m.cardId)} aria-label={`Check in ${m.name} (${backendId(m.id)})`}>
              Check in
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { KIOSK_SETTINGS_EVERY_MS, MAX_SCAN_LENGTH } from '../../../shared/desk';
import { TYPED_IDLE_MS, WedgeDetector } from '../../../shared/wedge';
import { fail, type Result } from '../../../shared/result';
import { consoleApi } from '../store/sync';
import { useConsole } from '../store/console-store';
import { useRole } from '../store/auth-hooks';
import { StatusPill } from '../components/StatusPill';
import { DemoBadge } from '../components/DemoBadge';
import { cue } from './sound';
import { App } from '../App';
import { AdminPrompt } from './AdminPrompt';
import { StationClosed } from './StationClosed';
import { CheckinFailed } from './CheckinFailed';
import { KioskVerdict } from './KioskVerdict';
import { answeredKioskWords, kioskVerdictWords, SCANS_REFUSED_STAFF_NOTE, nextReadWords, notReadWords, withoutName, type KioskWords } from './kiosk-words';
import type { KioskAnswered, KioskCheckin } from '../../../shared/kiosk-replies';
import { consoleStore } from '../store/console-store';
import { StationDown } from './StationDown';
import { lastKeyAt } from './kiosk-keys';
import { VerdictQueue } from './verdict-queue';

/**
 * A check-in takes at most a couple of seconds (1.5 s for the backend, then the offline decision). A
 * console that holds its link but answers nothing (stopped, frozen) must not leave a member waiting.
 */
const CHECKIN_ANSWER_MS = 10_000;
const NO_ANSWER_WORDS = 'The console on this PC did not answer in time, so this check-in may not have been taken. The front desk can check it in.';
const NO_ANSWER = fail('no-answer', NO_ANSWER_WORDS);

function answered<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Result<T>>((resolve) => (timer = setTimeout(() => resolve(NO_ANSWER), CHECKIN_ANSWER_MS)));
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

const UNREADABLE = "This station could not read the console's answer, so this check-in may not have been taken. The front desk can check it in.";
/** The link to the console dropped with the scan sent (the console stopped or restarted): the backend may have it (probe28a R2). */
const LOST_SENT = 'The link to the console dropped while this check-in was being sent, so it may have been taken. The front desk can look the member up and see.';
/** Failures after which the check-in may have been taken: said as not confirmed, not as not taken. */
const UNSURE = new Set([NO_ANSWER_WORDS, UNREADABLE, LOST_SENT]);

/**
 * What the station shows after a scan (`card`: as entered): the verdict in the queue's words, or why no check-in was
 * taken at all. `result`: the check-in's answer, which the backend's late answer (by its `key`) may turn round.
 */
type Shown = ({ words: KioskWords; result?: KioskCheckin } | { failed: string; staffNote?: string }) & { card: string };

/** What the verdict says now: the backend's answer to it, if one came since it was decided (answeredCheckins). */
const wordsNow = (s: Shown, answers: readonly KioskAnswered[]): KioskWords | null => {
  if ('failed' in s) return null;
  const key = s.result?.key;
  const answer = key === undefined ? undefined : answers.find((a) => a.key === key);
  return answer ? answeredKioskWords(s.result!, answer) : s.words;
};

const cueFor = (s: Shown, answers: readonly KioskAnswered[]): 'welcome' | 'again' | 'denied' => {
  const w = wordsNow(s, answers);
  return !w || !w.allowed ? 'denied' : w.again ? 'again' : 'welcome';
};

/** The check-in station: scan (keyboard wedge) or type an ID, see a big verdict, and it resets itself. */
export function KioskView() {
  /** The verdict on screen, when it went up, and whether the backend had turned it round by then (`turned`). */
  const [shown, setShown] = useState<{ what: Shown; at: number; turned?: true } | null>(null);
  const answers = useConsole((s) => s.answeredCheckins);
  const [typed, setTyped] = useState('');
  // The countdown's last tick (performance.now(), as is a verdict's `at`: a PC clock set back by NTP held a verdict up,
  // and the kiosk with it, as long as the step; probe26a A1): what it shows is counted from the verdict's own start, so a
  // tick of the last verdict's count landing as a new one goes up cannot show that one's seconds.
  const [tickedAt, setTickedAt] = useState(0);
  const [seconds, setSeconds] = useState(4);
  /** Cards read whose verdicts are not up yet (being checked, or held behind the one up), oldest first. */
  const [reading, setReading] = useState<readonly string[]>([]);
  const doneReading = (card: string): void => setReading((r) => (r.includes(card) ? r.toSpliced(r.indexOf(card), 1) : r));
  // Each scan's verdict in turn, none replaced before it could be read (verdict-queue.ts).
  const [queue] = useState(
    () =>
      new VerdictQueue<Shown>((s) => {
        doneReading(s.card);
        // Held in the queue while the backend answered otherwise: it goes up as answered.
        const answered = consoleStore.getState().answeredCheckins;
        setShown({ what: s, at: performance.now(), ...(wordsNow(s, answered)?.changed && { turned: true as const }) });
        cue(cueFor(s, answered));
      }),
  );
  useEffect(() => () => queue.stop(), [queue]);
  const input = useRef<HTMLInputElement>(null);
  const wedge = useRef(new WedgeDetector());
  const link = useConsole((s) => s.connection.state);
  const down = useConsole((s) => s.bridge !== 'open');
  const role = useRole();
  const closed = useConsole((s) => s.auth?.stationClosed ?? false);
  const [admin, setAdmin] = useState<'prompt' | 'out' | null>(null);
  const staff = role === 'desk' || role === 'manager';
  // A manager PIN prompt open when the link went is closed: its sign-in would reach nothing, and its
  // scans would be check-ins sent nowhere.
  const [wasDown, setWasDown] = useState(down);
  if (down !== wasDown) {
    setWasDown(down);
    if (down && admin === 'prompt') setAdmin(null);
  }

  // The admin chord (Ctrl+Alt+Shift+K) opens a manager PIN prompt: the only way out of the kiosk.
  useEffect(() => {
    const onChord = (e: KeyboardEvent): void => {
      if (e.ctrlKey && e.altKey && e.shiftKey && e.key.toLowerCase() === 'k') setAdmin('prompt');
    };
    window.addEventListener('keydown', onChord);
    return () => window.removeEventListener('keydown', onChord);
  }, []);

  // Read again now and then: a kiosk stays open for days, and a manager's new verdict time waited for a reopen (probe26b B11).
  // Again as the link to the gym's system changes: whether this PC has a copy of the members list to decide by.
  const [rosterKept, setRosterKept] = useState(true);
  useEffect(() => {
    if (!role) return;
    const read = (): void =>
      void consoleApi()
        .call('desk.settings', undefined)
        .then((r) => {
          if (!r.ok) return;
          setSeconds(r.value.verdictSeconds);
          setRosterKept(r.value.rosterSize !== 0); // an older console's reply has no count: not taken for none
        });
    read();
    const t = setInterval(read, KIOSK_SETTINGS_EVERY_MS);
    return () => clearInterval(t);
  }, [role, link]);
  // Away from the gym's system with no copy of the members list (a PC that never reached it): every card would be
  // "not recognised", a paying member's too (readme29 K2). Members go to the desk, as when the console is down.
  const noRoster = link === 'offline' && !rosterKept && !down;

  const submit = async (entered: string): Promise<void> => {
    setTyped('');
    setReading((r) => [...r, entered]);
    // Sent as it came: the console reads it against its roster copy (a card may look like framing) and
    // answers "not read" itself, sending nothing to the backend, for what is no card.
    if (!entered.trim() || entered.length > MAX_SCAN_LENGTH) return show({ words: notReadWords(entered), card: entered });
    try {
      const r = await answered(consoleApi().call('desk.checkin', { cardId: entered, source: 'kiosk' }));
      // A member left with no answer would wait at a locked door: a failure is a verdict too.
      if (!r.ok && r.error.code === 'bridge-lost') return show({ failed: LOST_SENT, card: entered });
      if (!r.ok) return show({ failed: r.error.message, ...(r.error.code === 'too-many-scans' && { staffNote: SCANS_REFUSED_STAFF_NOTE }), card: entered });
      if (r.value.ignored !== 'bounce') show({ words: kioskVerdictWords(r.value), result: r.value, card: entered });
      else doneReading(entered); // the reader's double read: nothing more to show
    } catch {
      // An answer this screen cannot read (or a call that threw) is still a verdict, never a wait at the door.
      show({ failed: UNREADABLE, card: entered });
    }
  };

  const show = (s: Shown): void => queue.push(s);

  // Digits typed and left behind would be put in front of the next member's number: they go after a pause.
  useEffect(() => {
    if (!typed) return;
    const t = setTimeout(() => setTyped(''), TYPED_IDLE_MS);
    return () => clearTimeout(t);
  }, [typed]);

  // Turned round by the backend's late answer while up: the member hears it and gets the full time to read it again,
  // and the next verdict waits its hold. Once gone from the screen nothing comes back: the desk's list has it.
  const words = shown ? wordsNow(shown.what, answers) : null;
  useEffect(() => {
    if (!shown || shown.turned) return;
    const check = (now: readonly KioskAnswered[]): void => {
      if (wordsNow(shown.what, now)?.changed === undefined) return;
      setShown({ ...shown, at: performance.now(), turned: true });
      queue.held();
      cue(cueFor(shown.what, now));
    };
    check(consoleStore.getState().answeredCheckins); // it may have come as this verdict went up
    return consoleStore.subscribe((s, before) => s.answeredCheckins !== before.answeredCheckins && check(s.answeredCheckins));
  }, [shown, queue]);

  // Count down, then back to the scan prompt (or on to the next verdict waiting).
  useEffect(() => {
    if (!shown) return;
    const tick = setInterval(() => {
      const now = performance.now();
      if (now - shown.at < seconds * 1000) return setTickedAt(now);
      setShown(null);
      queue.cleared();
      input.current?.focus();
    }, 250);
    return () => clearInterval(tick);
  }, [shown, seconds, queue]);

  // The box appears as a manager's PIN opens the station, or as the link comes back: a card scanned meanwhile is
  // half typed elsewhere, and its rest must not go in as a card of its own (probe28a R4: "9572" sent, "not recognised").
  const boxShown = !!role && admin !== 'prompt' && !(admin === 'out' && staff) && !((down || noRoster) && !shown);
  useLayoutEffect(() => {
    if (boxShown) wedge.current.listenFrom(lastKeyAt());
  }, [boxShown]);

  const onKey = (e: React.KeyboardEvent): void => {
    const r = wedge.current.key(e.key, e.timeStamp);
    if (r?.kind === 'cut') {
      e.preventDefault();
      setTyped('');
      show({ words: notReadWords(), card: '' });
    } else if (e.key.length === 1 && wedge.current.cutting) {
      e.preventDefault(); // the rest of that card never shows in the box either (other keys are not the card's)
    } else if (r?.kind === 'scan') {
      e.preventDefault();
      void submit(r.code);
    } else if (e.key === 'Tab' && typed.trim()) {
      // The box's one use is to check in: Tab (a reader set up to end with it, read slowly) submits as Enter does.
      e.preventDefault();
      void submit(typed.trim());
    }
  };
  const onTyped = (e: FormEvent): void => {
    e.preventDefault();
    void submit(typed.trim());
  };

  // A manager who left the kiosk and signed out hands the station back to members (or to "closed"); its header says DEMO.
  if (admin === 'out' && staff) return <App atKiosk />;
  // A verdict on screen is shown out; after it, no scan prompt while a scan would reach nothing.
  if (down && !shown) return marked(<StationDown />);
  if (admin === 'prompt') return marked(<AdminPrompt onScan={() => show({ words: notReadWords(), card: '' })} onDone={() => setAdmin('out')} onClose={() => setAdmin(null)} />);
  if (!role) return marked(<StationClosed closed={closed} />);
  // The console answers here: the manager's chord still opens the prompt, and a closed station still says so.
  if (noRoster && !shown) return marked(<StationDown noRoster />);
  // Another member's scan read while this verdict is up (the same card again is the same member's).
  const next = shown ? reading.filter((c) => c !== shown.what.card).length : 0;
  return marked(
    <main className="kiosk" onClick={() => input.current?.focus()}>
      <span className="link-state">
        <StatusPill state={link} quiet />
      </span>
      {shown ? (
        <>
          {'failed' in shown.what || !words ? <CheckinFailed reason={'failed' in shown.what ? shown.what.failed : UNREADABLE} unsure={!('failed' in shown.what) || UNSURE.has(shown.what.failed)} staffNote={'failed' in shown.what ? shown.what.staffNote : undefined} /> : <KioskVerdict words={next ? withoutName(words) : words} />}
          {next > 0 && (
            <p className="next-read" role="status" data-testid="next-read">
              {nextReadWords(next)}
            </p>
          )}
          {/* While the next card's answer is coming (in a moment), this verdict's own count would say "4 s" beside "one moment". */}
          {next === 0 && <p className="countdown">Next member in {Math.max(1, seconds - Math.floor(Math.max(0, tickedAt - shown.at) / 1000))} s</p>}
        </>
      ) : (
        <>
          <h1>Welcome! Scan your card</h1>
          <p className="prompt">or type your member number and press Enter</p>
        </>
      )}
      {/* Unseen under a verdict until the next member types: then what they type shows, and Enter takes it. Its
          place is kept, so the verdict does not jump as a scanner's keys come and go. */}
      <form onSubmit={onTyped} style={shown && !typed ? { opacity: 0, pointerEvents: 'none' } : undefined}>
        <input
          ref={input}
          autoFocus
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={onKey}
          onBlur={() => setTimeout(() => input.current?.focus(), 50)}
          autoComplete="off"
          aria-label="Card or member number"
        />
        <button type="submit">Check in</button>
      </form>
    </main>,
  );
}

/** Every kiosk screen on the demo gym says so, in its corner: someone trying a kiosk PC on the demo must not take it for live. */
const marked = (screen: ReactNode): ReactNode => (
  <>
    {screen}
    <DemoBadge atKiosk />
  </>
);

import { useEffect, useState } from 'react';
import type { Category, Range, StoredEvent } from '../../../../shared/analytics';
import { consoleApi } from '../../store/sync';
import { formatStamp, formatTime } from '../../format';
import { CATEGORY_COLORS } from './CategoryFilter';
import { CATEGORY_WORDS, eventWords } from '../../../../shared/words';
import { Address } from '../../components/Address';
import { LOG_PAGE, refreshedRows } from './event-log-rows';

/** Stored events, newest first: filter by text, pause the live refresh, load older ones from SQLite. Times on `zone`'s clock (the gym's, as the charts). */
export function EventLog({ range, categories, live, zone }: { range: Range; categories: Category[]; live: boolean; zone?: string }) {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [text, setText] = useState('');
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const fetchEvents = async (beforeId?: number): Promise<void> => {
    const r = await consoleApi().call('analytics.events', { range, categories, text: text || undefined, beforeId, limit: LOG_PAGE });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    // An older page goes below the row it was asked after, if that is still the last: the list may have changed meanwhile
    // (a new filter's answer), and appending to another list showed rows twice (React then kept stale rows on screen).
    setEvents((prev) => (beforeId ? (prev.at(-1)?.id === beforeId ? [...prev, ...r.value] : prev) : r.value));
  };

  const query = [JSON.stringify(range), JSON.stringify(categories), text];
  // A new range, filter or text: the list starts over from the newest page.
  useEffect(() => {
    let alive = true;
    void consoleApi()
      .call('analytics.events', { range, categories, text: text || undefined, limit: LOG_PAGE })
      .then((r) => {
        if (!alive) return;
        setError(r.ok ? null : r.error.message);
        if (r.ok) setEvents(r.value);
      });
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, query);

  // Live and not paused: the newest page every 5 s, keeping older rows loaded by hand (pausing or resuming reloads nothing).
  useEffect(() => {
    if (!live || paused) return;
    let alive = true;
    const t = setInterval(() => {
      void consoleApi()
        .call('analytics.events', { range, categories, text: text || undefined, limit: LOG_PAGE })
        .then((r) => {
          if (!alive) return;
          setError(r.ok ? null : r.error.message);
          if (r.ok) setEvents((shown) => refreshedRows(r.value, shown));
        });
    }, 5_000);
    return () => {
      alive = false;
      clearInterval(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...query, paused, live]);

  return (
    <section className="card event-log" aria-labelledby="log-title">
      <header className="log-head">
        <h2 id="log-title">Event log</h2>
        <input type="search" placeholder="Filter text" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter events by text" />
        {live && (
          <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        )}
      </header>
      {error && <p className="error-text">{error}</p>}
      {/* Cut rows show their whole text on hover, but a touch screen has no hover: say how to read them. */}
      {events.length > 0 && <p className="muted note">Click a row to read all of it.</p>}
      <ol data-testid="event-log">
        {events.map((e) => {
          const { what, detail } = eventWords(e);
          return (
          <li key={e.id}>
            <button type="button" className="event-row" onClick={() => setOpen(open === e.id ? null : e.id)} aria-expanded={open === e.id}>
              <span className="num muted">{formatTime(e.ts, zone)}</span>{' '}
              <span className="cat">
                <span className="swatch" style={{ background: CATEGORY_COLORS[e.category] }} aria-hidden="true" />
                {CATEGORY_WORDS[e.category]}
              </span>{' '}
              {/* Each at most three lines (a 200-letter name took fifteen): the whole in the tooltip, and in the row opened. */}
              <strong title={what}>{what}</strong>{' '}
              <span className="muted">{/^wss?:\/\//.test(e.source) ? <Address url={e.source} /> : e.source}</span>{' '}
              <span title={detail || undefined}>{detail}</span>
            </button>
            {open === e.id && <pre className="body">{[formatStamp(e.ts, undefined, zone), `${CATEGORY_WORDS[e.category]} · ${what}${detail ? `: ${detail}` : ''}`, e.stack ?? ''].join('\n').trim()}</pre>}
          </li>
          );
        })}
      </ol>
      {events.length === 0 ? (
        <p className="muted">No events in this range{text ? ' match the filter' : ''}.</p>
      ) : (
        <button type="button" onClick={() => void fetchEvents(events.at(-1)!.id)}>
          Load older
        </button>
      )}
    </section>
  );
}

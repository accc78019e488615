import { useEffect, useState } from 'react';
import type { DeadLetterView } from '../../../../shared/contract';
import { useConsole } from '../../store/console-store';
import { useCall } from '../../components/useCall';
import { formatTime } from '../../format';
import { shownJson } from '../../../../shared/backend-text';
import { useCan } from '../../store/auth-hooks';
import { LANE_WORDS, opWords } from '../../../../shared/words';

/** Messages the backend refused or that ran out of attempts or time: inspect, retry or discard. */
export function DeadLetters() {
  const count = useConsole((s) => s.outbox.dead);
  const { call, error } = useCall();
  const canDiscard = useCan('outbox.discard');
  const [letters, setLetters] = useState<DeadLetterView[]>([]);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    void call('outbox.dead', undefined).then((r) => r.ok && setLetters(r.value));
    // Refetch whenever the count moves: the list itself is not streamed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [count]);

  const act = async (name: 'outbox.retry' | 'outbox.discard', key: string): Promise<void> => {
    if (name === 'outbox.discard' && !window.confirm('Discard this message for good? This is recorded in the audit log.')) return;
    await call(name, { key });
  };

  return (
    <section className="card" aria-labelledby="dlq-title" data-testid="dead-letters">
      <h2 id="dlq-title">Dead letters ({count})</h2>
      {letters.length === 0 ? (
        <p className="muted">None: every message was delivered or is still on its way.</p>
      ) : (
        <ul className="letters">
          {letters.map((d) => (
            <li key={d.key}>
              <button type="button" className="link" aria-expanded={open === d.key} onClick={() => setOpen(open === d.key ? null : d.key)}>
                {opWords(d.op)} · {LANE_WORDS[d.lane] ?? d.lane} · {formatTime(d.failedAt)}
              </button>
              <div className="reason">{d.reason}</div>
              {open === d.key && <pre className="body">{shownJson(JSON.stringify({ key: d.key, attempts: d.attempts, body: JSON.parse(d.body) }, null, 2))}</pre>}
              <div className="buttons">
                <button type="button" onClick={() => void act('outbox.retry', d.key)}>
                  Retry
                </button>
                {canDiscard && (
                  <button type="button" className="danger" onClick={() => void act('outbox.discard', d.key)}>
                    Discard
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="error-text">{error}</p>}
    </section>
  );
}

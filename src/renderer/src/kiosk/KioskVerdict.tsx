import type { KioskWords } from './kiosk-words';
import { ShownName } from '../components/ShownName';

/** The kiosk's big verdict: a badge, the member's first name, the outcome and where to go next. */
export function KioskVerdict({ words }: { words: KioskWords }) {
  return (
    <div className={`verdict-banner big ${words.again ? 'again' : words.allowed ? 'ok' : 'no'}`} role="status" data-testid="verdict">
      <span className="verdict-mark" aria-hidden="true" data-testid="verdict-mark">
        {words.mark}
      </span>
      <div>
        {words.who && <ShownName as="div" className="who" name={words.who} />}
        <div className="why">{words.why}</div>
        {words.more && <div className="status muted">{words.more}</div>}
        {words.changed && (
          <div className="status" data-testid="verdict-changed">
            {words.changed}
          </div>
        )}
        {words.next && <div className="next-step">{words.next}</div>}
      </div>
    </div>
  );
}

import { useState } from 'react';

/** In a browser, desktop notifications need the user's yes, asked on a click; the desktop app needs none. */
export function NotifyPermission() {
  const [perm, setPerm] = useState(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  if (window.gym || perm === 'granted') return null;
  return (
    <section className="card" aria-labelledby="notify-title">
      <h2 id="notify-title">Desktop notifications</h2>
      {perm === 'unsupported' && <p className="muted">This browser cannot show desktop notifications; alerts show on this tab and in the banner.</p>}
      {perm === 'denied' && <p className="muted">This browser blocks notifications for the console. Allow them in the site settings to hear of alerts in other windows.</p>}
      {perm === 'default' && (
        <>
          <p className="muted">Hear of alerts while this window is hidden.</p>
          <button type="button" onClick={() => void Notification.requestPermission().then(setPerm)}>
            Allow desktop notifications
          </button>
        </>
      )}
    </section>
  );
}

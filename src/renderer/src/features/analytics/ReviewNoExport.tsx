import { OpenExport, type Opened } from './OpenExport';

/** A review PC's Analytics with no export open: it records no gym, so it says how to get one to open. */
export function ReviewNoExport({ onOpened }: { onOpened: (opened: Opened) => void }) {
  return (
    <section className="card export-panel review-no-export" aria-labelledby="no-export-title" data-testid="review-no-export">
      <h2 id="no-export-title">No export is open</h2>
      <p>This PC records no gym of its own, so its charts, trends and event log have nothing to show until an export is open.</p>
      <p>
        To review a gym: on that gym&apos;s console, Analytics tab, choose SQLite (or JSON) and press Export this range. Bring the file to this PC and choose it below.
      </p>
      <OpenExport onOpened={onOpened} />
    </section>
  );
}

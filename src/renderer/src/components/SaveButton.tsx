/** How a settings form's last Save ended: saved, or nothing sent because nothing differed from what is saved (review26 V16). */
export type SaveOutcome = 'saved' | 'unchanged' | null;

/** A settings form's Save button, with what its last save did. */
export function SaveButton({ busy, outcome }: { busy: boolean; outcome: SaveOutcome }) {
  return (
    <>
      <button type="submit" disabled={busy}>
        Save
      </button>
      {outcome === 'saved' && <span className="ok-text">Saved.</span>}
      {outcome === 'unchanged' && <span className="muted">Nothing changed, so nothing was saved.</span>}
    </>
  );
}

/** A settings form's Save button, with "Saved." once the last save went through. */
export function SaveButton({ busy, saved }: { busy: boolean; saved: boolean }) {
  return (
    <>
      <button type="submit" disabled={busy}>
        Save
      </button>
      {saved && <span className="ok-text">Saved.</span>}
    </>
  );
}

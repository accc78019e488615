/** A pool's CA file: a path typed on this PC, checked by the core when saved; its refusal is said right under the box. */
export function CaFileField({ value, onChange, problem, idBase, label }: { value: string; onChange(v: string): void; problem: string | null; idBase: string; label: string }) {
  const hintId = `${idBase}-hint`;
  const errorId = `${idBase}-error`;
  return (
    <div className="field-with-error ca-file">
      <label className="field">
        <span>CA file</span>
        <input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="none: the system's own certificates"
          spellCheck={false}
          aria-label={label}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${errorId} ${hintId}` : hintId}
        />
      </label>
      {problem && (
        <p className="error-text" role="alert" id={errorId}>
          {problem}
        </p>
      )}
      <p className="muted note" id={hintId}>
        Only for wss:// addresses with the gym&apos;s own certificate authority: the PEM file&apos;s full path on this PC. Leave it empty otherwise.
      </p>
    </div>
  );
}

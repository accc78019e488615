import type { BackendSettings } from '../../../../shared/backend';

/** The backend token: typed, never shown back; the screen only says whether one is saved and where. */
export function TokenField({ value, onChange, problem, settings }: { value: string; onChange(v: string): void; problem: string | null | undefined; settings: BackendSettings }) {
  return (
    <fieldset>
      <legend>Backend token</legend>
      <input
        type="password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="new-password"
        placeholder={settings.tokenSaved ? 'A token is saved; type a new one to replace it' : 'No token is saved; type the backend token'}
        aria-label="Backend token"
        aria-invalid={!!problem}
        aria-describedby={problem ? 'backend-token-error' : undefined}
      />
      {problem && (
        <p className="error-text" id="backend-token-error">
          {problem}
        </p>
      )}
      {settings.tokenOpenToOthers && (
        <p className="notice" role="note" data-testid="token-open-to-others">
          {settings.tokenOpenToOthers}
        </p>
      )}
      <p className="muted note">
        {settings.tokenSaved ? 'A token is saved.' : settings.tokenProblem ? `No usable token is saved: ${settings.tokenProblem}.` : 'No token is saved.'}
        {settings.tokenWhere ? ` It is kept in ${settings.tokenWhere}.` : ' This console keeps a new token only until it stops.'} Saving a new token reconnects every pool.
      </p>
    </fieldset>
  );
}

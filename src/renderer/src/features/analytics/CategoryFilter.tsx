import { CATEGORIES, type Category } from '../../../../shared/analytics';
import { CATEGORY_WORDS } from '../../../../shared/words';

export const CATEGORY_COLORS: Record<Category, string> = {
  connection: '#2457c5',
  performance: '#8a4bd6',
  error: '#c9302c',
  pool: '#1f8a70',
  user: '#b87d00',
  checkin: '#5b6877',
};

/** Which event types count; none ticked means all. */
export function CategoryFilter({ value, onChange }: { value: Category[]; onChange: (v: Category[]) => void }) {
  return (
    <fieldset className="category-filter">
      <legend>Event types</legend>
      {CATEGORIES.map((c) => (
        <label key={c}>
          <input type="checkbox" checked={value.includes(c)} onChange={(e) => onChange(e.target.checked ? [...value, c] : value.filter((x) => x !== c))} />
          <span className="swatch" style={{ background: CATEGORY_COLORS[c] }} aria-hidden="true" /> {CATEGORY_WORDS[c]}
        </label>
      ))}
      <span className="muted small" data-testid="category-hint">{value.length ? 'Only the ticked types are shown.' : 'None ticked: all are shown.'}</span>
    </fieldset>
  );
}

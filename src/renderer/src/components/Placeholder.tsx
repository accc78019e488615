/** A tab whose feature has not landed yet says so plainly. */
export function Placeholder({ title, children }: { title: string; children: string }) {
  return (
    <section className="card placeholder">
      <h2>{title}</h2>
      <p className="muted">{children}</p>
    </section>
  );
}

/** Overview of a console started with --review-only (said to a manager without the flag): no gym here, only exports to open. */
export function ReviewPcCard() {
  return (
    <section className="card review-pc" aria-labelledby="review-pc-title" data-testid="review-pc">
      <h2 id="review-pc-title">This PC is for reviewing exports</h2>
      <p>It was set up for that: it connects to no gym and runs no demo, so there are no check-ins, people inside or door here.</p>
      <p>To look at a gym&apos;s figures, open the exports made on its console: Analytics tab, Open export.</p>
    </section>
  );
}

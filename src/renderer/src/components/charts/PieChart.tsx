import { Doughnut } from 'react-chartjs-2';

/** Shares of a whole, with the numbers written out for screen readers. */
export function PieChart({ title, labels, values, colors }: { title: string; labels: string[]; values: number[]; colors: string[] }) {
  const summary = labels.map((l, i) => `${l} ${values[i]}`).join(', ');
  const label = `${title}: ${summary}`;
  return (
    <figure className="card chart" aria-label={label}>
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <Doughnut
          aria-label={label}
          data={{ labels, datasets: [{ data: values, backgroundColor: colors, borderWidth: 0 }] }}
          options={{ animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'right', labels: { boxWidth: 12 } } } }}
        />
      </div>
    </figure>
  );
}

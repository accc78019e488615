// A review worker that takes its time and writes when it starts and ends into the file it is given:
// what a large export's build looks like to the loader, so a test can see whether two overlap.
import { appendFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const [log, name] = (workerData as { paths: string[] }).paths as [string, string];
appendFileSync(log, `start ${name}\n`);
setTimeout(() => {
  appendFileSync(log, `end ${name}\n`);
  const image = new Uint8Array(16);
  parentPort!.postMessage({ ok: true, review: { image, metas: [], files: [name], skipped: [] } }, [image.buffer]);
}, 300);

// One side of a load scenario in its own process, so its RSS and CPU are its own:
// `worker.ts <ours|peer> <plan JSON> <url,url,…> <token>`; prints one JSON line (SideResult).
import { runSide, type Side } from './drive';
import type { LoadPlan } from './plan';

const [side, plan, urls, token] = process.argv.slice(2) as [Side, string, string, string];
runSide(side, JSON.parse(plan) as LoadPlan, urls.split(','), token).then(
  (r) => {
    // Exit once the pipe has the whole line: a large result written just before exit is cut short.
    process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0));
  },
  (e: unknown) => {
    process.stderr.write(`load worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);

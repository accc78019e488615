import { readdirSync, readFileSync } from 'node:fs';

/** "pid (name) S …": the state follows the name, which may itself hold spaces or parentheses. */
const isZombie = (stat: string): boolean => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';

/** Live processes (Linux /proc) whose command line holds `mark`: a data dir, a token. */
export function processesHolding(mark: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(mark) && !isZombie(readFileSync(`/proc/${d}/stat`, 'utf8'));
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXPORT_FORMATS, RANGES, type ExportFormat, type RangeName } from '../shared/analytics';
import { openAnalytics } from './core/store/open-analytics';
import { exportAnalytics } from './core/store/export';
import { LOCAL_TIMEZONE } from './core/analytics/open-engine';
import { APP_VERSION } from './core/version';

const HELP = `Usage: npm run export -- --data-dir DIR --range ${RANGES.join('|')} --format ${EXPORT_FORMATS.join('|')} --out FILE [--site NAME]
Exports the console's analytics for a range, without starting the console.`;

function fail(message: string): never {
  process.stderr.write(`export: ${message}\n\n${HELP}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let v;
  try {
    v = parseArgs({ options: { 'data-dir': { type: 'string' }, range: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, site: { type: 'string' }, help: { type: 'boolean' } } }).values;
  } catch (e) {
    fail((e as Error).message);
  }
  if (v.help) return void process.stdout.write(`${HELP}\n`);
  if (!v['data-dir'] || !existsSync(resolve(v['data-dir'], 'analytics.db'))) fail(`no analytics.db in --data-dir ${v['data-dir'] ?? '(missing)'}.`);
  if (!RANGES.includes(v.range as RangeName)) fail(`--range must be one of ${RANGES.join(', ')}.`);
  if (!EXPORT_FORMATS.includes(v.format as ExportFormat)) fail(`--format must be one of ${EXPORT_FORMATS.join(', ')}.`);
  if (!v.out) fail('--out FILE is required.');
  const { store } = openAnalytics(resolve(v['data-dir']), LOCAL_TIMEZONE);
  const started = Date.now();
  const r = await exportAnalytics(store, { range: { last: v.range as RangeName }, format: v.format as ExportFormat }, resolve(v.out), { site: v.site ?? 'This gym', app: `av-gym-console ${APP_VERSION}`, now: Date.now() }, (done, total) => {
    if (total) process.stderr.write(`\rexport: ${done} / ${total} events`);
  });
  store.close();
  process.stderr.write('\n');
  process.stdout.write(`exported ${r.events} events (${Math.round(r.bytes / 1024)} KiB) to ${r.file} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

void main();

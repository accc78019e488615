// npm run security: electronegativity over the sources, offline; fails on any finding not accepted,
// with its reason, in docs/electronegativity.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './build-state.mjs';

/** RFC 4180 rows: the flagged code holds commas and quotes. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

const out = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const csv = join(out, 'findings.csv');
try {
  // AvailableSecurityFixesGlobalCheck asks the network for Electron releases: left out, with the version given.
  // (The tool also tries to fetch translations; offline it says so and goes on in English.)
  const args = ['electronegativity', '-i', 'src', '-x', 'AvailableSecurityFixesGlobalCheck', '-e', '45.4.1', '-r', '-v', 'false', '-o', csv];
  // The tool sometimes writes a garbled report (a row overwritten mid-line): run it again, up to 6 times,
  // rather than read a broken report as odd findings. A finding is never retried away: only unreadable files.
  // (A clean-clone CI once met 3 garbled reports in a row; the same clone then read it whole 4 times of 4.)
  let header;
  let rows;
  for (let attempt = 1; ; attempt++) {
    rmSync(csv, { force: true });
    const r = spawnSync('npx', args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0 || !existsSync(csv)) throw new Error(`electronegativity did not finish (exit ${r.status ?? r.signal})`);
    [header, ...rows] = parseCsv(readFileSync(csv, 'utf8')).filter((row) => row.length > 1);
    if (header?.includes('issue') && rows.every((row) => row.length === header.length)) break;
    if (attempt === 6) throw new Error(`could not read electronegativity's report:\n${readFileSync(csv, 'utf8')}`);
  }
  const col = (name) => header.indexOf(name);
  const findings = rows.map((row) => ({ check: row[col('issue')], file: row[col('filename')], at: row[col('location')], sample: row[col('sample')], text: row[col('description')] }));
  const { accepted } = JSON.parse(readFileSync(join(root, 'docs/electronegativity.json'), 'utf8'));
  const matches = (a, f) => a.check === f.check && a.file === f.file && f.sample.includes(a.sample);
  const unexplained = findings.filter((f) => !accepted.some((a) => matches(a, f)));
  for (const a of accepted.filter((a) => !findings.some((f) => matches(a, f)))) console.log(`security: accepted but no longer found (remove it from docs/electronegativity.json): ${a.check} ${a.file}`);
  for (const f of unexplained) console.log(`security: NEW ${f.check} ${f.file}:${f.at}: ${f.text}\n    ${f.sample}`);
  console.log(`security: ${findings.length} findings, ${findings.length - unexplained.length} accepted with a reason, ${unexplained.length} unexplained`);
  if (unexplained.length > 0) {
    console.log('security: fix each NEW finding, or add it to docs/electronegativity.json with the reason it does not apply.');
    process.exitCode = 1;
  }
} catch (e) {
  console.error(`security: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}

import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { markConsoleDbKept } from '../../src/main/core/store/console-db-mark';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveStart, type StartFlags } from '../../src/main/core/startup/resolve-start';
import { coreStart } from '../../src/main/core/startup/announce-start';
import { fileTokenVault, type TokenVault } from '../../src/main/core/token-vault';

const A = 'ws://10.0.0.5:9100';
const B = 'ws://10.0.0.6:9100';
const fresh = () => mkdtempSync(join(tmpdir(), 'gym-start-'));
const run = (dataDir: string, flags: StartFlags = {}, env: { GYM_BACKEND_TOKEN?: string } = {}, vault: TokenVault = fileTokenVault(dataDir)) => resolveStart({ flags, env, dataDir, vault });
const plan = (d: ReturnType<typeof run>) => {
  if (!d.ok) throw new Error(`refused: ${d.problems.join(' | ')}`);
  return d.plan;
};
const warnings = (p: ReturnType<typeof plan>) => (p.mode === 'live' ? p.warnings.join('\n') : '');
const problems = (d: ReturnType<typeof run>) => (d.ok ? [] : d.problems);

describe('start-up resolver', () => {
  it('a fresh data dir with no flags is the demo, and saves nothing', () => {
    const dir = fresh();
    expect(plan(run(dir))).toEqual({ mode: 'demo', notes: [] });
    expect(coreStart(plan(run(dir))).backend).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  // probe-readme18 #6: the token in GYM_BACKEND_TOKEN with --backend forgotten started the demo without a word about the token.
  it('GYM_BACKEND_TOKEN without --backend on a new data dir: the demo, saying the token was not used', () => {
    const dir = fresh();
    expect(plan(run(dir, {}, { GYM_BACKEND_TOKEN: 's3cret-gym-token' }))).toEqual({
      mode: 'demo',
      notes: ["GYM_BACKEND_TOKEN is set but was not used (nothing was saved): without --backend a new PC runs the demo. Add --backend with the backend's addresses, as the line above says."],
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the first live run saves the pools, the token and the site marker, and says where', () => {
    const dir = fresh();
    const p = plan(run(dir, { backend: `${A}, ${B}`, backendToken: 'tok-123' }));
    expect(p).toMatchObject({ mode: 'live', source: 'flags', endpoints: [A, B], token: 'tok-123' });
    expect(coreStart(p)).toEqual({ backend: { endpoints: [A, B], token: 'tok-123' }, startupWarnings: [], lostData: [] });
    const pools = JSON.parse(readFileSync(join(dir, 'pools.json'), 'utf8'));
    expect(pools.pools).toHaveLength(1);
    expect(pools.pools[0].endpoints).toEqual([A, B]);
    expect(readFileSync(join(dir, 'backend-token'), 'utf8').trim()).toBe('tok-123');
    expect(existsSync(join(dir, 'site.json'))).toBe(true);
    expect(p.notes.join('\n')).toContain(join(dir, 'backend-token'));
    expect(p.notes.join('\n')).toContain(join(dir, 'pools.json'));
  });

  // readme25 W12: the first-start command kept as the PC's startup entry quietly put back the old addresses over the ones
  // a manager set on the Connection Pools tab: offline after every reboot, with nothing on the screens saying why.
  it('a start whose --backend replaces other saved addresses says so until it connects, naming both and the startup entry', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    expect(plan(run(dir, { backend: A }))).not.toHaveProperty('replacedAddresses');
    const p = plan(run(dir, { backend: B }));
    // Not a reason it is offline (review25 V1: it hid the backend's alert in every later outage): shown until it connects.
    expect(warnings(p)).toBe('');
    expect(coreStart(p).replacedAddresses).toBe(
      `This start replaced the backend addresses saved on this PC (10.0.0.5:9100) with the ones on its command line (10.0.0.6:9100). If a manager set the saved ones on the Connection Pools tab, start the console without --backend (its startup entry too), and set them there again.`,
    );
  });

  it('a restart with no flags on a live data dir is live from what it saved, never the demo', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    const p = plan(run(dir));
    expect(p).toMatchObject({ mode: 'live', source: 'saved', endpoints: [A], token: 'tok-123', notes: [], warnings: [] });
    // The saved pools are the configuration.
    expect(coreStart(p).backend).toEqual({ endpoints: [], token: 'tok-123' });
  });

  it('a live data dir whose pools went missing starts live but offline, and says so', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    writeFileSync(join(dir, 'pools.json'), '{ not json');
    const p = plan(run(dir));
    expect(p).toMatchObject({ mode: 'live', endpoints: [] });
    expect(warnings(p)).toMatch(/pools\.json could not be used \(it is not complete JSON\); it was set aside as .*\. The console starts OFFLINE/s);
  });

  it("a saved pool whose CA file cannot be read is said at start, whether the run has flags or not; it does not make the start offline", () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    const saved = JSON.parse(readFileSync(join(dir, 'pools.json'), 'utf8'));
    saved.pools[0].caFile = join(dir, 'no-such-ca.pem');
    writeFileSync(join(dir, 'pools.json'), JSON.stringify(saved));
    for (const flags of [{}, { backend: A }]) {
      const p = plan(run(dir, flags));
      expect(p).toMatchObject({ mode: 'live', warnings: [] });
      expect(p.mode === 'live' && p.poolProblems).toEqual([expect.stringMatching(/^pool "gym" cannot connect until its CA file can be read\. Cannot read the CA file .*no-such-ca\.pem: there is no file there\. Check the path\. A manager can correct the CA file in the pool's settings \(Connection Pools tab\)/)]);
    }
    // A CA file that reads is not a problem.
    writeFileSync(join(dir, 'no-such-ca.pem'), readFileSync(join(import.meta.dirname, '../fixtures/tls/gym-test-ca.pem')));
    expect(plan(run(dir))).toMatchObject({ poolProblems: [] });
  });

  it('a live data dir without its token starts live but offline, and says how to fix it', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    writeFileSync(join(dir, 'backend-token'), '');
    const p = plan(run(dir));
    expect(p).toMatchObject({ mode: 'live', endpoints: [A], token: null });
    // The README's way, by environment (it saves the token), not a flag every user of the PC can read in `ps`.
    expect(warnings(p)).toContain('no backend token is saved. The console starts OFFLINE: a manager can enter the token under Backend connection (Connection Pools tab), or IT can start it once as GYM_BACKEND_TOKEN=TOKEN npm start (the token is saved).');
    expect(warnings(p)).not.toContain('--backend-token');
    expect(warnings(plan(resolveStart({ flags: {}, env: {}, dataDir: dir, vault: fileTokenVault(dir), command: 'npm run web' })))).toContain('or IT can start it once as GYM_BACKEND_TOKEN=TOKEN npm run web (the token is saved).');
  });

  it('an unreadable vault is live and offline too, with the reason', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    const broken: TokenVault = { where: 'the key store', load: () => { throw new Error('key store locked'); }, save: () => {}, clear: () => {} };
    const p = plan(run(dir, {}, {}, broken));
    expect(p).toMatchObject({ mode: 'live', token: null });
    expect(warnings(p)).toContain('key store locked');
  });

  it('a live folder that lost site.json, its token and pools.json but kept console.db is live and offline, never the demo (probe23 P3)', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    markConsoleDbKept(dir); // what the live console's first checkpoint writes: console.db holds its PINs and check-ins
    for (const f of ['site.json', 'backend-token', 'pools.json']) rmSync(join(dir, f));
    const p = plan(run(dir));
    expect(p).toMatchObject({ mode: 'live', token: null, endpoints: [] });
    expect(warnings(p)).toMatch(/belongs to a live gym but has no saved backend addresses .* The console starts OFFLINE/);
    expect(p.notes.join('\n')).toContain(`its console.db holds the gym's PINs, audit log and any check-ins not yet sent (${join(dir, 'console-db.json')} says so)`);
    expect(p.notes.join('\n')).toContain(`To run the demo instead, start with --demo: it keeps its own data apart, in ${join(dir, 'demo')}.`);
    // A folder live by its marker says none of that.
    const marked = fresh();
    plan(run(marked, { backend: A, backendToken: 'tok-123' }));
    rmSync(join(marked, 'pools.json'));
    expect(plan(run(marked)).notes.join('\n')).not.toContain('console.db holds');
  });

  // probe27b D2: IT restored console.db alone (the README bolds backing it up) on a new PC: the start was the demo,
  // with no word of the gym's PINs and check-ins in it.
  it('a folder holding only a live console.db (no console-db.json) is live and offline, never the demo; an empty one is not', () => {
    const dir = fresh();
    const db = openConsoleDb(dir);
    db.close();
    const p = plan(run(dir));
    expect(p).toMatchObject({ mode: 'live', token: null, endpoints: [] });
    expect(p.notes.join('\n')).toContain(`its console.db holds the gym's PINs, audit log and any check-ins not yet sent (${join(dir, 'console.db')} was written by a live start)`);
    // review27 V6: so does one under its older name (outbox.db), restored from an older console's backup.
    const older = fresh();
    openConsoleDb(older).close();
    renameSync(join(older, 'console.db'), join(older, 'outbox.db'));
    expect(plan(run(older)).notes.join('\n')).toContain(`(${join(older, 'outbox.db')} was written by a live start)`);
    // An empty file, or another program's, makes nothing live.
    const other = fresh();
    writeFileSync(join(other, 'console.db'), '');
    expect(plan(run(other)).mode).toBe('demo');
  });

  it('a token saved by an older version (no pools, no marker) still counts as live', () => {
    const dir = fresh();
    fileTokenVault(dir).save('old-token');
    const p = plan(run(dir));
    expect(p).toMatchObject({ mode: 'live', token: 'old-token', endpoints: [] });
    expect(warnings(p)).toContain('OFFLINE');
  });

  it('a bad URL is refused, naming the flag, and leaves nothing saved', () => {
    const dir = fresh();
    const d = run(dir, { backend: `${A},http://10.0.0.6:9100,nonsense`, backendToken: 'tok-123' });
    expect(problems(d)).toEqual([expect.stringMatching(/^--backend: .*http:\/\/10\.0\.0\.6:9100.*ws:\/\//), expect.stringMatching(/^--backend: "nonsense" is not a URL/)]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the same address twice is refused', () => {
    expect(problems(run(fresh(), { backend: `${A},ws://10.0.0.5:9100/`, backendToken: 't' }))).toEqual([expect.stringContaining('twice')]);
  });

  it('--backend without any token is refused; the env or a saved token will do', () => {
    const dir = fresh();
    expect(problems(run(dir, { backend: A }))).toEqual(['--backend needs the backend token: start it as GYM_BACKEND_TOKEN=TOKEN npm start -- --backend … with the token from the gym backend (or add --backend-token TOKEN, which every user of this PC can read in the process list while the console runs). It is saved, so later runs need neither.']);
    // Set but empty (a typo, an unset shell variable): said as such, not "set GYM_BACKEND_TOKEN".
    expect(problems(run(dir, { backend: A }, { GYM_BACKEND_TOKEN: '' }))).toEqual([expect.stringMatching(/^--backend needs the backend token, and GYM_BACKEND_TOKEN is empty: start it as GYM_BACKEND_TOKEN=TOKEN npm start -- --backend … with the token/)]);
    expect(readdirSync(dir)).toEqual([]);
    expect(plan(run(dir, { backend: A }, { GYM_BACKEND_TOKEN: 'from-env' }))).toMatchObject({ mode: 'live', token: 'from-env' });
    expect(plan(run(dir, { backend: B }))).toMatchObject({ mode: 'live', endpoints: [B], token: 'from-env' });
  });

  it('--demo with --backend is refused, and so is a token with --demo', () => {
    expect(problems(run(fresh(), { demo: true, backend: A, backendToken: 't' }))).toEqual([expect.stringMatching(/^--demo and --backend/), expect.stringMatching(/^--backend-token is for a live gym/)]);
  });

  it('--backend-token alone on a fresh dir is refused: there is nothing to connect to', () => {
    const dir = fresh();
    expect(problems(run(dir, { backendToken: 't' }))).toEqual([expect.stringMatching(/^--backend-token needs --backend/)]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('GYM_BACKEND_TOKEN alone on a live dir replaces the saved token, and says so, as --backend-token does', () => {
    const dir = fresh();
    const vault = fileTokenVault(dir);
    plan(run(dir, { backend: A, backendToken: 'old' }));
    const p = plan(run(dir, {}, { GYM_BACKEND_TOKEN: 'new' }));
    expect(p).toMatchObject({ mode: 'live', source: 'saved', token: 'new', tokenFrom: 'env' });
    expect(p.notes).toEqual([`backend token saved in ${vault.where}; the backend has not checked it yet: a line below says when it takes or refuses it.`]);
    expect(vault.load()).toBe('new');
    // The next plain start has it.
    expect(plan(run(dir))).toMatchObject({ token: 'new', tokenFrom: 'saved', notes: [] });
    // The flag (and a launcher's hand-over, which arrives as the flag) says the same.
    expect(plan(run(dir, { backendToken: 'newer' })).notes).toEqual([`backend token saved in ${vault.where}; the backend has not checked it yet: a line below says when it takes or refuses it.`]);
    // The token already saved, given again either way, is left as it is and nothing is said (as with --backend).
    expect(plan(run(dir, {}, { GYM_BACKEND_TOKEN: 'newer' })).notes).toEqual([]);
    expect(plan(run(dir, { backendToken: 'newer' })).notes).toEqual([]);
    // A live dir whose token was lost gets it back from the environment.
    writeFileSync(join(dir, 'backend-token'), '');
    const back = plan(run(dir, {}, { GYM_BACKEND_TOKEN: 'again' }));
    expect(back).toMatchObject({ token: 'again', warnings: [] });
    expect(vault.load()).toBe('again');
  });

  it('a token from GYM_BACKEND_TOKEN that cannot be saved is used for this run, and says so without pointing at --backend-token', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'old' }));
    const noStore: TokenVault = { where: 'the key store', load: () => 'old', save: () => { throw new Error('The OS key store is not available'); }, clear: () => {} };
    const p = plan(run(dir, {}, { GYM_BACKEND_TOKEN: 'new' }, noStore));
    expect(p).toMatchObject({ mode: 'live', token: 'new' });
    expect(p.notes).toEqual(['the backend token could not be saved (The OS key store is not available); it is used for this run only: give it again on the next run, or a manager can enter it under Backend connection once that is fixed.']);
  });

  it('--backend-token alone on a live dir replaces the saved token', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'old' }));
    expect(plan(run(dir, { backendToken: 'new' }))).toMatchObject({ mode: 'live', token: 'new' });
    expect(plan(run(dir))).toMatchObject({ token: 'new' });
  });

  it('an explicit --demo on a live dir runs the demo, says so, and the dir stays live', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 't' }));
    const p = plan(run(dir, { demo: true }));
    expect(p.mode).toBe('demo');
    expect(p.notes.join('\n')).toContain('live gym');
    expect(plan(run(dir)).mode).toBe('live');
  });

  it('rerunning with the same addresses keeps a manager\'s tuned pools; other addresses replace them', () => {
    const dir = fresh();
    plan(run(dir, { backend: `${A},${B}`, backendToken: 't' }));
    const file = join(dir, 'pools.json');
    const tuned = JSON.parse(readFileSync(file, 'utf8'));
    tuned.pools[0].strategy = 'round-robin';
    writeFileSync(file, JSON.stringify(tuned));
    expect(plan(run(dir, { backend: `${B},${A}` })).notes).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8')).pools[0].strategy).toBe('round-robin');
    expect(plan(run(dir, { backend: A })).notes.join('\n')).toContain('replace');
    expect(JSON.parse(readFileSync(file, 'utf8')).pools[0].endpoints).toEqual([A]);
  });

  it('a token the key store cannot save still starts live, and says it was not saved', () => {
    const dir = fresh();
    const noStore: TokenVault = { where: 'the key store', load: () => null, save: () => { throw new Error('The OS key store is not available'); }, clear: () => {} };
    const p = plan(run(dir, { backend: A, backendToken: 't' }, {}, noStore));
    expect(p).toMatchObject({ mode: 'live', token: 't' });
    expect(p.notes.join('\n')).toContain('could not be saved');
  });

  it('--review-only on a fresh dir runs no demo and no backend, and makes it a review PC: a restart without the flag is review-only, never the demo', () => {
    const dir = fresh();
    const p = plan(run(dir, { reviewOnly: true }));
    expect(p).toMatchObject({ mode: 'review', notes: [expect.stringContaining('now a PC for reviewing exports')] });
    expect(coreStart(p)).toEqual({ backend: undefined, reviewOnly: true });
    expect(readdirSync(dir)).toEqual(['site.json']);
    // Said on start, as a kiosk restarted without --kiosk says it: IT sees why this PC shows no gym.
    expect(plan(run(dir))).toEqual({ mode: 'review', notes: [expect.stringMatching(/^starting as a review PC .* as this PC was set up \(--review-only\); start it with --backend/)] });
    expect(plan(run(dir, { reviewOnly: true }))).toEqual({ mode: 'review', notes: [] });
    // Nothing on a review PC counts as a live gym's loss.
    expect(coreStart(plan(run(dir)))).toEqual({ backend: undefined, reviewOnly: true });
  });

  it('a review PC runs the demo once with --demo and stays a review PC; --backend makes it a live gym', () => {
    const dir = fresh();
    plan(run(dir, { reviewOnly: true }));
    expect(plan(run(dir, { demo: true }))).toMatchObject({ mode: 'demo', notes: [expect.stringContaining('PC for reviewing exports; running the DEMO once')] });
    expect(plan(run(dir)).mode).toBe('review');
    expect(problems(run(dir, { backendToken: 't' }))).toEqual([expect.stringContaining('--backend-token needs --backend the first time')]);
    expect(plan(run(dir, { backend: A, backendToken: 'tok-1' }))).toMatchObject({ mode: 'live', source: 'flags' });
    expect(plan(run(dir))).toMatchObject({ mode: 'live', source: 'saved', endpoints: [A] });
    expect(JSON.parse(readFileSync(join(dir, 'site.json'), 'utf8'))).toMatchObject({ mode: 'live' });
  });

  it('a site marker that cannot be read counts as live, never as a review PC or the demo', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'site.json'), '{"mode": "rev');
    expect(plan(run(dir)).mode).toBe('live');
  });

  it('--review-only on a live dir says so and leaves it live: its saved pools, token and marker untouched', () => {
    const dir = fresh();
    plan(run(dir, { backend: A, backendToken: 'tok-123' }));
    const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const p = plan(run(dir, { reviewOnly: true }));
    expect(p.mode).toBe('review');
    expect(p.notes.join('\n')).toMatch(/belongs to a live gym; running a REVIEW-ONLY console .* review\//);
    expect(Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(before);
    expect(plan(run(dir))).toMatchObject({ mode: 'live', source: 'saved', endpoints: [A], token: 'tok-123' });
  });

  it('--review-only goes with neither --demo nor a backend, and saves nothing when refused', () => {
    const dir = fresh();
    expect(problems(run(dir, { reviewOnly: true, demo: true }))).toEqual([expect.stringContaining('--review-only and --demo do not go together')]);
    expect(problems(run(dir, { reviewOnly: true, backend: A, backendToken: 't' }))).toEqual([expect.stringContaining('--review-only connects to no backend')]);
    expect(problems(run(dir, { reviewOnly: true, backendToken: 't' }))).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

// Probe 17 F8: IT preparing a new PC puts a pools.json in an empty data folder; its first start was told its
// console.db "was missing, though this data folder has been live" and that PINs and check-ins were gone.
describe('a data folder IT prepared with only pools.json', () => {
  const prepared = () => {
    const dir = fresh();
    writeFileSync(join(dir, 'pools.json'), JSON.stringify({ version: 1, pools: [{ name: 'gym', endpoints: [A], maxConnections: 2, healthCheckInterval: 1000, reconnectAttempts: 5, strategy: 'round-robin' }] }));
    return dir;
  };

  it('starts live from it as a first start, with nothing said lost', () => {
    const p = plan(run(prepared(), {}, { GYM_BACKEND_TOKEN: 'tok-123' }));
    expect(p).toMatchObject({ mode: 'live', endpoints: [A], lost: [] });
  });

  it('a folder where a console ran live (site.json, or analytics.db from before it) still has a missing console.db said', () => {
    const before = prepared();
    writeFileSync(join(before, 'analytics.db'), '');
    expect(plan(run(before, {}, { GYM_BACKEND_TOKEN: 'tok-123' }))).toMatchObject({ mode: 'live', lost: [expect.stringContaining('console.db was missing, though this data folder has been live')] });
    const ran = prepared();
    run(ran, {}, { GYM_BACKEND_TOKEN: 'tok-123' }); // the first start writes site.json; its console.db is then removed
    expect(plan(run(ran, {}, { GYM_BACKEND_TOKEN: 'tok-123' }))).toMatchObject({ lost: [expect.stringContaining('was missing')] });
  });
});

// Probe 17 F2: the pools left out of an over-limit pools.json are said where IT starts the console, not only on a screen.
it('a saved pools.json past the limits: the pools left out are said with the start', () => {
  const dir = fresh();
  const pools = Array.from({ length: 20 }, (_, i) => ({ name: `p${i}`, endpoints: [`ws://10.0.0.${i + 1}:9100`], maxConnections: 64, healthCheckInterval: 1000, reconnectAttempts: 5, strategy: 'round-robin' }));
  writeFileSync(join(dir, 'pools.json'), JSON.stringify({ version: 1, pools }));
  const p = plan(run(dir, {}, { GYM_BACKEND_TOKEN: 'tok-123' }));
  expect(p).toMatchObject({ mode: 'live', endpoints: pools.slice(0, 4).map((x) => x.endpoints[0]), poolProblems: [expect.stringContaining('leaves out 16 pools: "p4", "p5"')] });
});

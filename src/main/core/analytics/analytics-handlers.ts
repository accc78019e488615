import { plural, type AuditAction } from '../../../shared/words';
import { chmodSync, closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../../../shared/result';
import type { CallContext, Handlers } from '../bridge/dispatch';
import type { Clock } from '../clock';
import type { PatchStream } from '../state/patch-stream';
import { AnalyticsStore } from '../store/analytics-store';
import { exportAnalytics, openReview } from '../store/export';
import { ScreenReviews } from './screen-reviews';
import type { ReviewLoader } from '../store/review-thread';
import type { AnalyticsEngine } from './engine';
import { resolveRange } from '../../../shared/analytics';
import { buildView } from './view';
import type { ExportInbox } from './export-inbox';
import { exportName, siteSlug, type ExportJobs } from './export-jobs';
import { analyticsDamagedWords } from '../store/open-analytics';
import { inPlaceOfFolder } from '../make-folder';

type AnalyticsHandlers = Pick<
  Handlers,
  'analytics.view' | 'analytics.events' | 'analytics.export' | 'analytics.openExport' | 'analytics.pickExport' | 'analytics.closeExport' | 'analytics.cancelOpen' | 'analytics.settings' | 'analytics.configure'
>;

/** The Analytics tab's requests: live data, or opened exports shown read-only in their place. */
export function analyticsHandlers(deps: {
  engine: AnalyticsEngine;
  stream: PatchStream;
  dataDir: string;
  site: string;
  /** The console runs its demo gym: what it exports is made up. */
  simulated: boolean;
  version: string;
  clock: Clock;
  audit: (ctx: CallContext, action: AuditAction, subject: string, before: unknown, after: unknown) => void;
  /** Who is signed in, as the logs name them: an export is someone's, not the console's. */
  actor: (ctx: CallContext) => string;
  /** Exports admitted for review (uploaded or picked), named by ref. */
  inbox: ExportInbox;
  /** Reads exports for review off the main thread. */
  reviews: ReviewLoader;
  /** Exports being written: a stop ends them and removes their files. */
  exports: ExportJobs;
  /** The desktop's native open dialog; absent in the browser form, which uploads instead. */
  pickExportFiles?: () => Promise<string[]>;
  /** The desktop's native save dialog: where to write a new export; null when closed. Absent: the exports folder. */
  pickSaveFile?: (suggestedName: string) => Promise<string | null>;
}): AnalyticsHandlers {
  const { engine, stream, clock } = deps;
  /** Each screen's own review: another screen, or a new one, starts on live data. */
  const reviews = new ScreenReviews((refs) => deps.inbox.release(refs));
  const exportsDir = join(deps.dataDir, 'exports');
  /** A new file in the exports folder, made empty now so two exports started in one second never share it. */
  const reserveInExportsDir = (name: string): string => {
    const other = inPlaceOfFolder(exportsDir);
    if (other) throw new UserError('exports-not-a-folder', `Nothing was exported: ${exportsDir} is ${other}, where the console keeps the folder for exports. Ask the gym's IT to move it out of the console's data folder (or rename it), then export again.`);
    // Exports hold member names: private like the rest of the data folder, also when made by an older console.
    mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
    chmodSync(exportsDir, 0o700);
    const dot = name.lastIndexOf('.');
    for (let n = 1; ; n++) {
      const file = join(exportsDir, n === 1 ? name : `${name.slice(0, dot)}-${n}${name.slice(dot)}`);
      try {
        closeSync(openSync(file, 'wx', 0o600));
        return file;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw e;
      }
    }
  };

  /** SQLite saying this PC's analytics.db is damaged is said as such, with what to do (an opened export is not that file). */
  const fromFile = async <T>(live: boolean, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (live && engine.store.noteFailure(e)) throw new UserError('analytics-damaged', analyticsDamagedWords(engine.store.file));
      throw e;
    }
  };

  return {
    'analytics.view': ({ range, categories }, ctx) => {
      const opened = reviews.of(ctx.session);
      if (!opened) return fromFile(true, () => engine.view(range, categories));
      // Relative ranges count back from the end of the export, not from now.
      return { ...buildView(opened.store, range, opened.to, { kind: 'export', sites: opened.sites, files: opened.files, skipped: opened.skipped, simulated: opened.simulated, span: { from: opened.from, to: opened.to } }, categories), storage: null };
    },
    'analytics.events': ({ range, categories, text, beforeId, limit }, ctx) => {
      const opened = reviews.of(ctx.session);
      const store = opened?.store ?? engine.store;
      store.flush();
      const { from, to } = resolveRange(range, opened?.to ?? clock.now(), store.timezone);
      return fromFile(!opened, () => store.events({ from, to, categories, text, beforeId, limit: limit ?? 200 }));
    },
    'analytics.export': async (req, ctx) => {
      const opened = reviews.of(ctx.session);
      // An export of a review is of the gyms reviewed, not of this PC's.
      const whose = opened ? { site: opened.sites.join(' + ').slice(0, 200), simulated: opened.simulated } : { site: engine.settings().siteName ?? deps.site, simulated: deps.simulated };
      // Named after the gym (riverside-gym-1h-…): a manager with files from two sites tells them apart.
      // A review's, after the gyms reviewed that have a name (one with none would add "a-gym-with-no-name-set").
      const named = opened ? opened.sites.filter((s) => siteSlug(s) !== 'gym').join(' + ') : whose.site;
      const suggested = exportName(named, 'last' in req.range ? req.range.last : 'custom', clock.now(), req.format, (opened?.store ?? engine.store).timezone, whose.simulated);
      const file = deps.pickSaveFile ? await deps.pickSaveFile(suggested) : reserveInExportsDir(suggested);
      if (!file) throw new UserError('export-cancelled', 'Nothing was exported: the save dialog was closed. Press “Export this range” again to choose where to save it.');
      const name = basename(file);
      const progress = (done: number, total: number, finished = false): void => stream.gauge('exportProgress', { done, total, file, finished });
      progress(0, 0);
      const info = { ...whose, app: `av-gym-console ${deps.version}`, now: opened?.to ?? clock.now() };
      const store = opened?.store ?? engine.store;
      const r = await fromFile(!opened, () => deps.exports.run(async (signal) => {
        try {
          return await exportAnalytics(store, req, file, info, progress, signal);
        } catch (e) {
          if (!deps.pickSaveFile) rmSync(file, { force: true }); // the empty file reserved for it
          throw e;
        }
      }));
      progress(r.events, r.events, true);
      engine.record('user', 'export', deps.actor(ctx), `${plural(r.events, 'event')} to ${name}`);
      return { ...r, name };
    },
    'analytics.openExport': async ({ refs }, ctx) => {
      let mine: AbortController;
      try {
        mine = reviews.startOpening(ctx.session);
      } catch (e) {
        deps.inbox.release(refs);
        throw e;
      }
      let entries: { file: string; name: string }[];
      let loaded: Awaited<ReturnType<typeof loadNamed>>;
      try {
        entries = refs.map((ref) => deps.inbox.get(ref));
        // Loading first: a bad file throws here and the current view stays as it was.
        // Refused before its image becomes a database when the reviews open on other screens leave no room.
        loaded = await loadNamed(deps.reviews, entries, mine.signal, (bytes) => reviews.roomForBytes(ctx.session, bytes));
      } catch (e) {
        deps.inbox.release(refs); // each choice is opened once; after a failure it is chosen again
        throw e;
      } finally {
        reviews.doneOpening(ctx.session, mine);
      }
      const { store, metas, files, skipped, bytes } = loaded;
      store.timezone = metas[0]!.timezone;
      const opened = { store, refs, sites: metas.map((m) => m.site), simulated: metas.some((m) => m.simulated), files, from: Math.min(...metas.map((m) => m.from)), to: Math.max(...metas.map((m) => m.to)), skipped, bytes };
      reviews.show(ctx.session, opened);
      engine.record('user', 'open-export', deps.actor(ctx), entries.map((e) => e.name).join(', '));
      return { sites: opened.sites, files: opened.files, from: opened.from, to: opened.to };
    },
    'analytics.pickExport': async () => {
      if (!deps.pickExportFiles) throw new UserError('no-dialog', 'Choose the export files with the file chooser on the Analytics tab.');
      const files = (await deps.pickExportFiles()).slice(0, 10);
      return files.map((file) => ({ ref: deps.inbox.admit(file, basename(file), false), name: basename(file) }));
    },
    'analytics.settings': () => fromFile(true, () => engine.settings()),
    'analytics.configure': (patch, ctx) =>
      fromFile(true, () => {
        const before = engine.settings();
        const after = engine.configure({ ...before, ...patch, retentionDays: { ...before.retentionDays, ...patch.retentionDays } });
        deps.audit(ctx, 'analytics.configure', 'analytics settings', before, after);
        return after;
      }),
    'analytics.cancelOpen': (_, ctx) => ({ cancelled: reviews.cancel(ctx.session) }),
    'analytics.closeExport': (_, ctx) => {
      reviews.cancel(ctx.session);
      return { closed: reviews.close(ctx.session) };
    },
  };
}

/** Loads exports, speaking of each file by the name staff gave it, not where the console keeps it. */
async function loadNamed(reviews: ReviewLoader, entries: { file: string; name: string }[], signal: AbortSignal, room: (bytes: number) => void) {
  const names = new Map(entries.map((e) => [basename(e.file), e.name]));
  const name = (file: string): string => names.get(file) ?? file;
  try {
    const built = await reviews.load(
      entries.map((e) => e.file),
      signal,
    );
    // Cancelled in the moment the worker finished: nothing is shown.
    if (signal.aborted) throw new UserError('export-cancelled', 'Opening the export was cancelled; the Analytics tab shows what it showed before.');
    const bytes = built.image.byteLength;
    room(bytes);
    const r = openReview(built, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
    return { ...r, bytes, files: r.files.map(name), skipped: r.skipped.map((x) => ({ file: name(x.file), sameAs: name(x.sameAs) })) };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // Refusals name a file by its path or by its file name: either way, staff see the name they chose.
    const named = entries.reduce((message, { file, name }) => message.split(file).join(name).split(basename(file)).join(name), e.message);
    throw new UserError(e.code, named);
  }
}

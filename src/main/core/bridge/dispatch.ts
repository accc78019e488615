import { ACCESS, isRequestName, replyFor, requests, type ParsedInput, type RequestName, type RequestOutput } from '../../../shared/contract';
import { ROLE_TEXT, atLeast } from '../../../shared/roles';
import type { Session } from '../auth/session';
import { fail, ok, UserError, type Result } from '../../../shared/result';
import { joinProblems, parseInWords } from '../../../shared/field-errors';
import { DISK_REFUSAL, diskProblem } from '../disk-words';
import { isDamagedDb } from '../store/db';

/** Who is calling; Electron and the web host both fill it in. */
export interface CallContext {
  transport: 'electron' | 'web' | 'test';
  /** The caller's sign-in; its role decides what it may call. */
  session: Session;
}

/** The one handler table: every contract request, implemented once, served by every transport. */
export type Handlers = {
  [K in RequestName]: (input: ParsedInput<K>, ctx: CallContext) => RequestOutput<K> | Promise<RequestOutput<K>>;
};

const INTERNAL_SIGNED_IN = 'Something went wrong in the console and it has been logged. Try again; if it keeps happening, a manager can use Copy diagnostics on the Connection Pools tab (on a review PC, the Health tab) and send it to IT.';
const INTERNAL_SIGNED_OUT =
  "Something went wrong in the console and it has been logged. Try again; if it keeps happening, tell the gym's IT: the details are in logs/console.log in the console's data folder, and in the window or terminal the console was started from.";
const DAMAGED_REFUSAL =
  "The console's database file is damaged: part of it cannot be read (a bad disk sector, or a copy taken while the console was using it), so nothing was done, and trying again will not help. " +
  "Tell the gym's IT: restart the console; at start it checks its files and says which one is damaged and what to do. The details are in logs/console.log in the console's data folder.";

/** Validates an untrusted call and runs it. Never throws: every failure comes back as `{ok:false}`. */
export async function dispatch(handlers: Handlers, name: unknown, payload: unknown, ctx: CallContext): Promise<Result<unknown>> {
  // Only a string is ever echoed: String() of a hostile object runs its code or recurses.
  if (typeof name !== 'string') return fail('unknown-request', 'A request must be named by text; this one was not, so nothing was done.');
  if (!isRequestName(name)) return fail('unknown-request', `Unknown request "${name.slice(0, 64)}".`);
  const need = ACCESS[name];
  if (need && !atLeast(ctx.session.role, need)) {
    return fail('forbidden', ctx.session.role ? `This needs the ${ROLE_TEXT[need]} PIN; you are signed in as ${ROLE_TEXT[ctx.session.role]}.` : 'Sign in with your PIN first.');
  }
  const parsed = parseInWords(requests[name].input, payload);
  if (!parsed.success) return fail('invalid-input', joinProblems(parsed.problems), { field: parsed.problems[0]?.field, problems: parsed.problems, detail: `${name}: ${parsed.detail}` });
  try {
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    const reply = await handler(parsed.data, ctx);
    // Shaped for the role here, the one way out: a kiosk is told only what its screen shows (contract.ts KIOSK_REPLIES).
    return ok(replyFor(ctx.session.role, name, reply));
  } catch (e) {
    if (e instanceof UserError) return fail(e.code, e.message, e.extra);
    // A full or read-only disk is no fault of the console's: staff are told which, and who can fix it.
    const disk = diskProblem(e);
    if (disk) return fail(`disk-${disk}`, DISK_REFUSAL[disk], { detail: (e as Error).message });
    // A broken page SQLite met only now (a bad sector since the start's check): retrying cannot help, and a
    // restart's check names the file and what to do (console.db's words, or analytics.db set aside).
    if (isDamagedDb(e)) return fail('db-damaged', DAMAGED_REFUSAL, { detail: (e as Error).message });
    // The cause is for the log (the log wiring records it with its stack), not for the front desk. Not signed
    // in (the sign-in screen): no screen that needs a sign-in can help, so IT is sent to the log instead.
    return fail('internal', ctx.session.role ? INTERNAL_SIGNED_IN : INTERNAL_SIGNED_OUT, { detail: (e as Error).message });
  }
}

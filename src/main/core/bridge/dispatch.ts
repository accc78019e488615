import { ACCESS, isRequestName, requests, type ParsedInput, type RequestName, type RequestOutput } from '../../../shared/contract';
import { ROLE_TEXT, atLeast } from '../../../shared/roles';
import type { Session } from '../auth/session';
import { fail, ok, UserError, type Result } from '../../../shared/result';
import { joinProblems, parseInWords } from '../../../shared/field-errors';
import { DISK_REFUSAL, diskProblem } from '../disk-words';

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
    return ok(await handler(parsed.data, ctx));
  } catch (e) {
    if (e instanceof UserError) return fail(e.code, e.message, e.extra);
    // A full or read-only disk is no fault of the console's: staff are told which, and who can fix it.
    const disk = diskProblem(e);
    if (disk) return fail(`disk-${disk}`, DISK_REFUSAL[disk], { detail: (e as Error).message });
    // The cause is for the log (the log wiring records it with its stack), not for the front desk.
    return fail('internal', 'Something went wrong in the console and it has been logged. Try again; if it keeps happening, a manager can use Copy diagnostics on the Connection Pools tab and send it to IT.', { detail: (e as Error).message });
  }
}

import { z } from 'zod';
import { isRequestName, requests, type ParsedInput, type RequestName, type RequestOutput } from '../../../shared/contract';
import { fail, ok, UserError, type Result } from '../../../shared/result';

/** Who is calling; Electron and the web host both fill it in. */
export interface CallContext {
  transport: 'electron' | 'web' | 'test';
}

/** The one handler table: every contract request, implemented once, served by every transport. */
export type Handlers = {
  [K in RequestName]: (input: ParsedInput<K>, ctx: CallContext) => RequestOutput<K> | Promise<RequestOutput<K>>;
};

/** Validates an untrusted call and runs it. Never throws: every failure comes back as `{ok:false}`. */
export async function dispatch(handlers: Handlers, name: unknown, payload: unknown, ctx: CallContext): Promise<Result<unknown>> {
  if (!isRequestName(name)) return fail('unknown-request', `Unknown request "${String(name).slice(0, 64)}".`);
  const parsed = requests[name].input.safeParse(payload);
  if (!parsed.success) return fail('invalid-input', `Invalid input for ${name}: ${z.prettifyError(parsed.error)}`);
  try {
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    return ok(await handler(parsed.data, ctx));
  } catch (e) {
    if (e instanceof UserError) return fail(e.code, e.message);
    return fail('internal', `Something went wrong in the console (${(e as Error).message}). It has been logged; try again.`);
  }
}

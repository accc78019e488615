import type { FieldProblem } from './field-errors';

/** Errors cross every boundary as values; the message tells the user what to do next. */
export interface AppError {
  code: string;
  message: string;
  /** The form field the (first) problem is about, so the screen can say it next to that control. */
  field?: string;
  /** Every problem, one sentence each, when the input was refused. */
  problems?: FieldProblem[];
  /** Precise schema detail for the log; never shown to staff. */
  detail?: string;
}

export type ErrorExtra = Pick<AppError, 'field' | 'problems' | 'detail'>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string, extra?: ErrorExtra): Result<never> => ({ ok: false, error: { code, message, ...extra } });

/** Thrown inside the core for errors the user caused; turned into `{ok:false}` at the boundary. */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra?: ErrorExtra,
  ) {
    super(message);
  }
}

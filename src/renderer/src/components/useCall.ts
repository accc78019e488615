import { useState } from 'react';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import type { AppError, Result } from '../../../shared/result';
import { consoleApi } from '../store/sync';

/** A problem's field is its key path in the request ("patch.maxConnections"); a form names its fields by the last keys. */
const isAbout = (field: string | undefined, key: string): boolean => !!field && (field === key || field.endsWith(`.${key}`));

/** Calls a request and keeps its error for display: next to the field it is about, or for the whole form. */
export function useCall() {
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const call = async <K extends RequestName>(name: K, input: RequestInput<K>): Promise<Result<RequestOutput<K>>> => {
    setBusy(true);
    const r = await (consoleApi().call as (n: K, i: RequestInput<K>) => Promise<Result<RequestOutput<K>>>)(name, input);
    setBusy(false);
    setFailure(r.ok ? null : r.error);
    return r;
  };
  const problems = (): { field?: string; message: string }[] => (failure ? (failure.problems ?? [{ field: failure.field, message: failure.message }]) : []);
  /** What is wrong with this field, if anything. */
  const fieldError = (key: string): string | null =>
    problems()
      .filter((p) => isAbout(p.field, key))
      .map((p) => p.message)
      .join(' ') || null;
  /** What is wrong that none of the form's own fields (`shown`) says next to itself. */
  const formError = (shown: readonly string[]): string | null =>
    problems()
      .filter((p) => !shown.some((k) => isAbout(p.field, k)))
      .map((p) => p.message)
      .join(' ') || null;
  return { call, error: failure?.message ?? null, code: failure?.code ?? null, fieldError, formError, busy, clearError: () => setFailure(null) };
}

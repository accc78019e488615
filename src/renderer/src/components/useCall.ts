import { useState } from 'react';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { consoleApi } from '../store/sync';

/** Calls a request and keeps its error message for display; returns the result too. */
export function useCall() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const call = async <K extends RequestName>(name: K, input: RequestInput<K>): Promise<Result<RequestOutput<K>>> => {
    setBusy(true);
    const r = await (consoleApi().call as (n: K, i: RequestInput<K>) => Promise<Result<RequestOutput<K>>>)(name, input);
    setBusy(false);
    setError(r.ok ? null : r.error.message);
    return r;
  };
  return { call, error, busy, clearError: () => setError(null) };
}

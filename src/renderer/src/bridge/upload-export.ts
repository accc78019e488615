import { MAX_UPLOAD_BYTES, UPLOAD_PATH } from '../../../shared/web-bridge';
import { consoleApi } from '../store/sync';

export type Uploaded = { ok: true; ref: string; name: string } | { ok: false; message: string };

/**
 * Hands one export file to the headless host for review; the host keeps it and answers with its ref.
 * Each file goes with its own single-use ticket, given only to a sign-in that may open exports.
 */
export async function uploadExport(file: File, token: string): Promise<Uploaded> {
  if (file.size > MAX_UPLOAD_BYTES) {
    return { ok: false, message: `${file.name} is larger than the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB an export may be; export a shorter range and open that.` };
  }
  const ticket = await consoleApi().call('analytics.uploadTicket');
  if (!ticket.ok) return { ok: false, message: ticket.error.message };
  try {
    const query = `token=${encodeURIComponent(token)}&ticket=${encodeURIComponent(ticket.value.ticket)}&name=${encodeURIComponent(file.name)}`;
    const res = await fetch(`${UPLOAD_PATH}?${query}`, { method: 'POST', body: file });
    const body = (await res.json()) as { ref?: string; name?: string; error?: string };
    if (res.ok && body.ref && body.name) return { ok: true, ref: body.ref, name: body.name };
    return { ok: false, message: body.error ?? `The console refused ${file.name} (${res.status}); choose it again.` };
  } catch {
    return { ok: false, message: `Could not hand ${file.name} to the console; check it is still running and choose the file again.` };
  }
}

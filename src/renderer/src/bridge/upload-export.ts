import { MAX_UPLOAD_BYTES, UPLOAD_PATH } from '../../../shared/web-bridge';

export type Uploaded = { ok: true; ref: string; name: string } | { ok: false; message: string };

/** Hands one export file to the headless host for review; the host keeps it and answers with its ref. */
export async function uploadExport(file: File, token: string): Promise<Uploaded> {
  if (file.size > MAX_UPLOAD_BYTES) {
    return { ok: false, message: `${file.name} is larger than the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB an export may be; export a shorter range and open that.` };
  }
  try {
    const res = await fetch(`${UPLOAD_PATH}?token=${encodeURIComponent(token)}&name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
    const body = (await res.json()) as { ref?: string; name?: string; error?: string };
    if (res.ok && body.ref && body.name) return { ok: true, ref: body.ref, name: body.name };
    return { ok: false, message: body.error ?? `The console refused ${file.name} (${res.status}); choose it again.` };
  } catch {
    return { ok: false, message: `Could not hand ${file.name} to the console; check it is still running and choose the file again.` };
  }
}

import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { z } from 'zod';
import { MAX_UPLOADING, type ExportInbox } from '../core/analytics/export-inbox';

/** The file's name on the manager's PC, only ever shown back to them: no folders, no control characters. */
const NameSchema = z
  .string()
  .max(255)
  .transform((n) => basename(n.replace(/\\/g, '/')).replace(/[\p{Cc}\p{Cf}]/gu, '').trim())
  .pipe(z.string().min(1));

const reply = (res: ServerResponse, status: number, body: object): void =>
  void res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' }).end(JSON.stringify(body));

/**
 * Receives one export file from the browser for review: streamed to a private file in the inbox
 * folder (never held in memory), admitted, and answered with its ref. The token is checked by the caller.
 */
export async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL, inbox: ExportInbox, maxBytes: number): Promise<void> {
  const name = NameSchema.safeParse(url.searchParams.get('name') ?? '');
  if (!name.success) return reply(res, 400, { error: 'The upload needs the file’s name; choose the file again.' });
  const tooLarge = { error: `${name.data} is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB an export may be; export a shorter range and open that.` };
  if (Number(req.headers['content-length']) > maxBytes) return reply(res, 413, tooLarge);
  const finished = inbox.startUpload();
  if (!finished) return reply(res, 503, { error: `Other exports are still being uploaded (at most ${MAX_UPLOADING} at once); wait for them, then choose ${name.data} again.` });
  try {
    await receive(req, res, name.data, inbox, maxBytes, tooLarge);
  } finally {
    finished();
  }
}

async function receive(req: IncomingMessage, res: ServerResponse, name: string, inbox: ExportInbox, maxBytes: number, tooLarge: object): Promise<void> {
  const file = inbox.uploadPath();
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const outcome = await new Promise<'done' | 'too-large' | 'broken'>((resolve) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        req.pause();
        return resolve('too-large');
      }
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    req.on('end', () => out.end(() => resolve('done')));
    req.on('aborted', () => resolve('broken'));
    req.on('error', () => resolve('broken'));
    out.on('error', () => resolve('broken'));
  });
  if (outcome !== 'done') {
    // The file may still be opening: remove it only once the stream has let go of it.
    if (!out.closed) await new Promise<void>((resolve) => out.destroy().once('close', () => resolve()));
    rmSync(file, { force: true });
    if (outcome === 'too-large') return reply(res, 413, tooLarge);
    return reply(res, 400, { error: 'The upload broke off before the end; choose the file again.' });
  }
  reply(res, 200, { ref: inbox.admit(file, name, true), name });
}

/** What is read of a receiver's reply: enough to take in a short "ok" whole; nothing here needs more. */
export const REPLY_READ_LIMIT = 4 * 1024;

/**
 * Reads at most `limit` bytes of a reply body and lets the rest go. A receiver may stream without end,
 * so the body is never read whole: a short reply read to its end leaves the connection free for the next
 * notice; a longer one is cancelled, which closes the connection. The fetch's own timeout signal still
 * governs the reads, so a receiver that trickles cannot hold this up past it. Never throws.
 */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, limit = REPLY_READ_LIMIT): Promise<number> {
  if (!body) return 0;
  const reader = body.getReader();
  let got = 0;
  try {
    while (got < limit) {
      const { done, value } = await reader.read();
      if (done) return got;
      got += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // Timed out or cut off mid-body: nothing of it is needed.
    await reader.cancel().catch(() => undefined);
  }
  return got;
}

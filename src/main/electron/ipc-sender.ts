/** What Electron says about the frame behind an IPC call, reduced to what the check needs. */
export interface SenderFrame {
  url: string | undefined;
  isMainFrame: boolean;
}

/** Where the console's own page lives: its file URL when packaged, the dev server in `npm run dev`. */
export interface ConsolePage {
  fileUrl: string;
  devUrl?: string;
}

/** Why a call is refused, or null when it comes from the main frame of the console's own page. */
export function whyRefused(frame: SenderFrame, page: ConsolePage): string | null {
  if (!frame.url) return 'the calling frame is gone or has no address';
  if (!frame.isMainFrame) return 'the call came from a frame inside the page, not the page itself';
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return 'the calling frame has no valid address';
  }
  if (page.devUrl) return url.origin === new URL(page.devUrl).origin ? null : 'the calling page is not the console';
  // The page's own #hash and ?query are its business; the file must be exactly the console's.
  return `${url.protocol}//${url.host}${url.pathname}` === page.fileUrl ? null : 'the calling page is not the console';
}

/** The IPC gate: true for the console's main frame; every refusal goes to the log with the frame's address. */
export function senderGate(page: ConsolePage, warn: (fields: Record<string, unknown>, msg: string) => void) {
  return (frame: SenderFrame): boolean => {
    const why = whyRefused(frame, page);
    if (why) warn({ frameUrl: frame.url?.slice(0, 200) ?? null, isMainFrame: frame.isMainFrame, why }, 'ipc call refused');
    return why === null;
  };
}

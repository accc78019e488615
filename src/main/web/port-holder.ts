import { request } from 'node:http';
import { TOKEN_CHECK_PATH } from '../../shared/web-bridge';

/**
 * Whether what holds `port` on 127.0.0.1 is another AV Gym Console (a PC running a desk and a kiosk side by
 * side): it answers the token check with 401 and its own words, or says it is starting. Asked once, with no
 * token, and given up after `ms`: anything else, or silence, is "another program".
 */
export function heldByConsole(port: number, ms = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    // One deadline for the whole question: a socket timeout fires only on silence, and a holder that streams
    // (a live-reload or video server) is never silent, so the start waited for ever.
    const deadline = setTimeout(() => settle(false), ms);
    const settle = (held: boolean): void => {
      clearTimeout(deadline);
      req.destroy();
      resolve(held);
    };
    const req = request({ host: '127.0.0.1', port, path: TOKEN_CHECK_PATH, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      const decide = (): void => settle(CONSOLE_ANSWER.test(body) && (res.statusCode === 401 || res.statusCode === 503));
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        // Our answer is one short line: read no further than that, whatever the holder keeps sending.
        if (body.length >= ANSWER_BYTES) decide();
      });
      res.on('end', decide);
      res.on('error', () => settle(false));
    });
    req.on('error', () => settle(false));
    req.end();
  });
}

const ANSWER_BYTES = 512;

/** The host's answer to the token check (host.ts), and the one while it starts (takePort). */
const CONSOLE_ANSWER = /^(This address's token is not this console's|The console is starting; reload in a moment)/;

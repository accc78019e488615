import { request } from 'node:http';
import { TOKEN_CHECK_PATH } from '../../shared/web-bridge';

/**
 * Whether what holds `port` on 127.0.0.1 is another AV Gym Console (a PC running a desk and a kiosk side by
 * side): it answers the token check with 401 and its own words, or says it is starting. Asked once, with no
 * token, and given up after `ms`: anything else, or silence, is "another program".
 */
export function heldByConsole(port: number, ms = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: TOKEN_CHECK_PATH, headers: { host: `127.0.0.1:${port}` }, timeout: ms }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 512) body += c;
      });
      res.on('end', () => resolve(CONSOLE_ANSWER.test(body) && (res.statusCode === 401 || res.statusCode === 503)));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** The host's answer to the token check (host.ts), and the one while it starts (takePort). */
const CONSOLE_ANSWER = /^(This address's token is not this console's|The console is starting; reload in a moment)/;

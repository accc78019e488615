import { EXPORTS_PATH } from '../../../shared/web-bridge';
import { consoleApi } from '../store/sync';

/**
 * Downloads one export from the headless host. The page token is every screen's (a kiosk's too), so
 * the host also wants a single-use ticket, which only a manager's sign-in is given. The link is
 * followed as a download, so the page stays as it is. Returns what went wrong, or null.
 */
export async function downloadExport(name: string, token: string): Promise<string | null> {
  const r = await consoleApi().call('analytics.downloadTicket', { name });
  if (!r.ok) return r.error.message;
  const a = document.createElement('a');
  a.href = `${EXPORTS_PATH}${encodeURIComponent(name)}?token=${encodeURIComponent(token)}&ticket=${encodeURIComponent(r.value.ticket)}`;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  return null;
}

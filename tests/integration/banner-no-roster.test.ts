import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { DEFAULT_ALERT_SETTINGS } from '../../src/shared/health';
import { waitFor } from '../helpers/wait';

let cluster: Cluster | undefined;
let core: Core | undefined;
const manager = () => ({ transport: 'test' as const, session: new Session('manager') });
afterAll(async () => {
  await core?.stop();
  await cluster?.close();
});

describe('the banner on a PC that has never reached the backend', () => {
  it('does not tell the desk to go on from a copy of the members list it does not have', async () => {
    cluster = await startCluster({ instances: 1, port: 0, token: 'right-token' });
    // First start with the wrong token: the PC never gets in, so it never fetches the roster.
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-banner-noroster-')), backend: { endpoints: cluster.urls, token: 'wrong-token' } });
    await dispatch(core.handlers, 'auth.setup', { desk: '1234', manager: '5678', kiosk: '9012' }, manager());
    const rules = structuredClone(DEFAULT_ALERT_SETTINGS.rules);
    rules.backend = { ...rules.backend, pendingSeconds: 0 };
    expect(await dispatch(core.handlers, 'alerts.configure', { rules, maxPerHour: 50 }, manager())).toMatchObject({ ok: true });
    await waitFor(() => core!.stream.snapshot().gauges.alerts.length > 0, 20_000);
    const [banner] = core.stream.snapshot().gauges.alerts;
    // A refused token is said as such, not as an address it cannot reach.
    expect(banner!.text).toMatch(/^The gym's system does not accept this PC's backend token, and this PC has no copy of the members list yet, so it cannot decide check-ins until the system has let it in once\. Tell IT now/);
    expect(banner!.text).not.toMatch(/Keep checking members in/);
    // The line for IT says what to fix.
    expect(banner!.detail).toMatch(/refused the console's token/);
  }, 30_000);
});

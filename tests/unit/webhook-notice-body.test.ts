import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { webhookBody } from '../../src/main/core/alerts/notice-body';
import type { AlertNotice } from '../../src/shared/health';

const notice: AlertNotice = { id: 'n1', kind: 'firing', alert: 'disk', severity: 'critical', title: 'Critical: Disk space', text: 'Only 90 MB free.', at: Date.UTC(2025, 0, 2, 9), durationMs: null };
const SECRET = `whsec_${Buffer.from('a secret of thirty-two bytes!!!!').toString('base64')}`;

describe('the webhook body names the gym and the PC it comes from', () => {
  it('adds site, station and host, and says them in the title and text; every earlier field keeps its name', () => {
    const body = JSON.parse(webhookBody(notice, { site: 'Riverside Gym', station: 'kiosk', host: 'FRONT-2' }));
    expect(body).toEqual({
      type: 'alert.firing',
      timestamp: '2025-01-02T09:00:00.000Z',
      data: { ...notice, title: 'Riverside Gym, kiosk on FRONT-2: Critical: Disk space', text: 'Only 90 MB free. (From Riverside Gym, kiosk on FRONT-2.)', site: 'Riverside Gym', station: 'kiosk', host: 'FRONT-2' },
    });
  });

  it('is signed and verified per Standard Webhooks as before', () => {
    const body = webhookBody(notice, { site: 'Riverside Gym', station: 'front desk', host: 'DESK' });
    const at = new Date();
    const headers = { 'webhook-id': 'n1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign('n1', at, body) };
    expect(new Webhook(SECRET).verify(body, headers)).toMatchObject({ data: { site: 'Riverside Gym', station: 'front desk', host: 'DESK' } });
  });
});

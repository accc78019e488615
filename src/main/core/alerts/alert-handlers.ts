import type { Handlers } from '../bridge/dispatch';
import type { CallContext } from '../bridge/dispatch';
import type { AnalyticsEngine } from '../analytics/engine';
import type { Clock } from '../clock';
import { availability } from '../health/availability';
import type { AlertCenter } from './center';

type AlertHandlers = Pick<Handlers, 'alerts.settings' | 'alerts.configure' | 'alerts.ack' | 'alerts.silence' | 'webhooks.list' | 'webhooks.save' | 'webhooks.remove' | 'webhooks.test' | 'health.availability'>;

/** Rules, acknowledgements, silences and webhooks: each change audited by the center under the caller's role. */
/** `addresses`: the backend's addresses now, so Availability marks those left behind by an address change (readme25 W8). */
export function alertHandlers(d: { center: AlertCenter; analytics: AnalyticsEngine; clock: Clock; actor: (ctx: CallContext) => string; addresses: () => ReadonlySet<string> }): AlertHandlers {
  const { center, actor } = d;
  return {
    'alerts.settings': () => center.settings,
    'alerts.configure': (next, ctx) => center.configure(next, actor(ctx)),
    'alerts.ack': ({ id }, ctx) => center.engine.ack(id, actor(ctx)),
    'alerts.silence': ({ id, minutes }, ctx) => center.engine.silence(id, minutes, actor(ctx)),
    'webhooks.list': () => ({ endpoints: center.webhookViews(), deliveries: center.deliveries.list(), pending: center.deliveries.pendingCount() }),
    'webhooks.save': (input, ctx) => center.saveWebhook(input, actor(ctx)),
    'webhooks.remove': ({ url }, ctx) => center.removeWebhook(url, actor(ctx)),
    'webhooks.test': ({ url }, ctx) => center.testWebhook(url, actor(ctx)),
    'health.availability': () => {
      d.analytics.store.flush();
      return availability(d.analytics.store, d.clock.now(), d.addresses());
    },
  };
}

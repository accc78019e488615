import { AlertCenter } from '../../src/main/core/alerts/center';
import type { NoticeSource } from '../../src/main/core/alerts/notice-body';
import type { Clock } from '../../src/main/core/clock';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { Db } from '../../src/main/core/store/db';
import type { HealthInputs } from '../../src/main/core/health/checks';
import { DEFAULT_ALERT_SETTINGS, type AlertNotice, type CheckResult } from '../../src/shared/health';

/** An alert center over console.db in `dir`, driven by hand: `raise(id)` fires an alert at once, `clear(id)` resolves it. */
export interface AlertRig {
  center: AlertCenter;
  db: Db;
  notices: AlertNotice[];
  raise(id: string): void;
  clear(id: string): void;
  close(): void;
}

export function alertRig(dir: string, clock: Clock, retrySchedule: number[], source?: () => NoticeSource): AlertRig {
  const db: Db = openConsoleDb(dir);
  const audit = new AuditLog(db, () => clock.now());
  const notices: AlertNotice[] = [];
  const center = new AlertCenter({ db, audit, clock, inputs: () => ({}) as HealthInputs, changed: () => {}, onNotice: (n) => notices.push(n), retrySchedule, source });
  // Immediate rules, so a raise is a notice now and a clear is a resolved notice now.
  const rules = structuredClone(DEFAULT_ALERT_SETTINGS.rules);
  rules.disk = { enabled: true, when: 'degraded', pendingSeconds: 0, keepFiringSeconds: 0, severity: 'warning' };
  center.configure({ rules, maxPerHour: 200 }, 'test');
  const live = new Map<string, CheckResult>();
  const check = (id: string, failing: boolean): CheckResult => ({ id, kind: 'disk', label: `Disk ${id}`, status: failing ? 'degraded' : 'ok', reason: failing ? `${id} is low` : 'fine', value: 1, unit: 'MB' });
  return {
    center,
    db,
    notices,
    raise(id: string) {
      live.set(id, check(id, true));
      center.engine.evaluate([...live.values()]);
    },
    clear(id: string) {
      live.set(id, check(id, false));
      center.engine.evaluate([...live.values()]);
    },
    close() {
      center.stop();
      db.close();
    },
  };
}

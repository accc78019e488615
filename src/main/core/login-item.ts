import type { AuditAction } from '../../shared/words';
import type { StartAtLogin } from '../../shared/login-item';
import { UserError } from '../../shared/result';
import type { CallContext, Handlers } from './bridge/dispatch';

/** The OS's "start at login" entry for this console; only the desktop app has one. */
export interface LoginItem {
  get(): boolean;
  set(on: boolean): void;
  readonly asKiosk: boolean;
}

interface LoginItemDeps {
  loginItem?: LoginItem;
  audit(ctx: CallContext, action: AuditAction, subject: string, before: unknown, after: unknown): void;
}

/** The manager's "Start with Windows / at login" setting. */
export function loginItemHandlers({ loginItem, audit }: LoginItemDeps): Pick<Handlers, 'app.startAtLogin' | 'app.setStartAtLogin'> {
  const view = (): StartAtLogin => ({ available: !!loginItem, on: loginItem?.get() ?? false, asKiosk: loginItem?.asKiosk ?? false });
  return {
    'app.startAtLogin': () => view(),
    'app.setStartAtLogin': ({ on }, ctx) => {
      if (!loginItem) throw new UserError('not-available', "Start at login is a setting of the desktop app. For the browser form, add it to the PC's own startup programs.");
      const before = view();
      try {
        loginItem.set(on);
      } catch (e) {
        throw new UserError('login-item-failed', `This PC did not accept the change (${(e as Error).message}). Ask IT to check the account may add startup programs.`);
      }
      const after = view();
      audit(ctx, 'app.setStartAtLogin', 'start at login', before.on, after.on);
      return after;
    },
  };
}

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../shared/result';
import type { Handlers } from '../bridge/dispatch';
import type { FileTickets } from '../auth/file-tickets';

type TransferHandlers = Pick<Handlers, 'analytics.downloadTicket' | 'analytics.uploadTicket'>;

/**
 * Tickets for the browser form's file transfers, handed only to a screen whose role may do what the
 * transfer stands for (ACCESS). The desktop app transfers nothing over HTTP: its dialogs pick the files.
 */
export function transferHandlers(deps: { tickets: FileTickets; exportsDir: string; desktop: { save: boolean; open: boolean } }): TransferHandlers {
  return {
    'analytics.downloadTicket': ({ name }, ctx) => {
      if (deps.desktop.save) throw new UserError('no-download', 'The desktop app saves each export where you choose in its save dialog: there is nothing to download.');
      let isFile = false;
      try {
        isFile = statSync(join(deps.exportsDir, name)).isFile();
      } catch {
        // not there: said below
      }
      if (!isFile) throw new UserError('export-gone', `${name} is no longer in the exports folder on this PC; export the range again.`);
      return { ticket: deps.tickets.issue({ kind: 'download', name }, ctx.session) };
    },
    'analytics.uploadTicket': (_i, ctx) => {
      if (deps.desktop.open) throw new UserError('no-upload', 'Choose the export files with “Choose export files…” on the Analytics tab.');
      return { ticket: deps.tickets.issue({ kind: 'upload' }, ctx.session) };
    },
  };
}

import { VERDICT_MARK } from '../components/verdict-mark';

/**
 * The kiosk's big verdict when no check-in could be taken, or none confirmed (`unsure`: it may have been taken): the
 * member goes to the desk, staff read why (and, small, what to do).
 */
export function CheckinFailed({ reason, staffNote, unsure = false }: { reason: string; staffNote?: string; unsure?: boolean }) {
  return (
    <>
      <div className="verdict-banner no big" role="alert" data-testid="verdict">
        <span className="verdict-mark" aria-hidden="true" data-testid="verdict-mark">
          {VERDICT_MARK.unsure}
        </span>
        <div>
          <div className="who">{unsure ? 'Check-in not confirmed' : 'Check-in could not be taken'}</div>
          <div className="why">Please see the front desk.</div>
          <div className="status muted" data-testid="verdict-reason">
            {reason}
          </div>
        </div>
      </div>
      {staffNote && (
        <p className="staff-note" data-testid="staff-note">
          {staffNote}
        </p>
      )}
    </>
  );
}

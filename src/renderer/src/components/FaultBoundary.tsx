import { Component, type ErrorInfo, type ReactNode } from 'react';
import { consoleStore } from '../store/console-store';

interface Props {
  /** The part it guards, in a manager's words: "Analytics tab". Reported to the console's log. */
  where: string;
  /** What the part shows instead, given a way to draw it again. */
  fallback: (retry: () => void) => ReactNode;
  children: ReactNode;
}

/**
 * A part of a screen that fails to draw shows its own words and the rest keeps working: without this,
 * one chart's fault on one hour's figures unmounted the whole console, header and tabs included.
 * The fault goes to the console's log for IT (app.reportFault, bounded there).
 */
export class FaultBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    const stack = `${error.stack ?? ''}\n${info.componentStack ?? ''}`.slice(0, 4000);
    // The report is the log's; failing to send it must not fail the words shown.
    void consoleStore.getState().api?.call('app.reportFault', { where: this.props.where.slice(0, 60), message: String(error.message).slice(0, 500), stack }).catch(() => {});
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(() => this.setState({ failed: false })) : this.props.children;
  }
}

/** In place of a tab or card that failed: what happened, that nothing is lost, and what to do. */
export function PartFailed({ what, retry }: { what: string; retry: () => void }) {
  return (
    <section className="card part-failed" role="alert" data-testid="part-failed">
      <h2>{what} could not be shown</h2>
      <p>
        Something in it failed to draw. The rest of the console keeps working, and nothing is lost: check-ins, messages and figures are kept by the console, not by
        this screen.
      </p>
      <p>
        <button type="button" onClick={retry}>
          Show it again
        </button>
      </p>
      <p className="muted">If it keeps happening, tell IT: the console&apos;s log (logs/console.log in its data folder) says what failed.</p>
    </section>
  );
}

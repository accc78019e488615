import { CheckinFeed } from './CheckinFeed';
import { ConnectionCard } from './ConnectionCard';
import { DemoControls } from './DemoControls';
import { OccupancyCard } from './OccupancyCard';
import { OutboxCard } from './OutboxCard';
import { DoorCard } from './DoorCard';
import { DeskCard } from './DeskCard';
import { DeskSettingsCard } from './DeskSettingsCard';
import { StartAtLoginCard } from './StartAtLoginCard';
import { ChangePinsCard } from './ChangePinsCard';
import { ReviewPcCard } from './ReviewPcCard';
import { StationsWaitingNote } from './StationsWaitingNote';
import { useCan } from '../../store/auth-hooks';
import { useConsole } from '../../store/console-store';

export function OverviewTab() {
  const canConfigure = useCan('desk.configure');
  const canSetRate = useCan('demo.setRate');
  const canStartAtLogin = useCan('app.setStartAtLogin');
  const canChangePins = useCan('auth.changePins');
  const review = useConsole((s) => s.mode.review);
  if (review) {
    return (
      <div className="overview">
        <div className="side">
          {canStartAtLogin && <StartAtLoginCard />}
          {canChangePins && <ChangePinsCard />}
        </div>
        <div className="main-col">
          <ReviewPcCard />
        </div>
      </div>
    );
  }
  return (
    <div className="overview">
      <div className="side">
        {/* What the desk reads all shift: in one column it goes right under the search, above the live list (styles.css). */}
        <div className="glance">
          <OccupancyCard />
          <ConnectionCard />
          <OutboxCard />
        </div>
        <DoorCard />
        {canSetRate && <DemoControls />}
        {canConfigure && <DeskSettingsCard />}
        {canStartAtLogin && <StartAtLoginCard />}
        {canChangePins && <ChangePinsCard />}
      </div>
      <div className="main-col">
        <StationsWaitingNote />
        <DeskCard />
        <CheckinFeed />
      </div>
    </div>
  );
}

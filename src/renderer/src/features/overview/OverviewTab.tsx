import { CheckinFeed } from './CheckinFeed';
import { ConnectionCard } from './ConnectionCard';
import { DemoControls } from './DemoControls';
import { OccupancyCard } from './OccupancyCard';
import { OutboxCard } from './OutboxCard';
import { DoorCard } from './DoorCard';
import { DeskCard } from './DeskCard';
import { DeskSettingsCard } from './DeskSettingsCard';
import { useAuth } from '../../store/auth-store';

export function OverviewTab() {
  const manager = useAuth((s) => s.status?.role === 'manager');
  return (
    <div className="overview">
      <div className="side">
        <OccupancyCard />
        <ConnectionCard />
        <OutboxCard />
        <DoorCard />
        <DemoControls />
        {manager && <DeskSettingsCard />}
      </div>
      <div className="main-col">
        <DeskCard />
        <CheckinFeed />
      </div>
    </div>
  );
}

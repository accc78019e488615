import { CheckinFeed } from './CheckinFeed';
import { ConnectionCard } from './ConnectionCard';
import { DemoControls } from './DemoControls';
import { OccupancyCard } from './OccupancyCard';
import { OutboxCard } from './OutboxCard';
import { DoorCard } from './DoorCard';
import { DeskCard } from './DeskCard';

export function OverviewTab() {
  return (
    <div className="overview">
      <div className="side">
        <OccupancyCard />
        <ConnectionCard />
        <OutboxCard />
        <DoorCard />
        <DemoControls />
      </div>
      <div className="main-col">
        <DeskCard />
        <CheckinFeed />
      </div>
    </div>
  );
}

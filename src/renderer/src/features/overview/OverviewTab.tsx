import { CheckinFeed } from './CheckinFeed';
import { ConnectionCard } from './ConnectionCard';
import { DemoControls } from './DemoControls';
import { OccupancyCard } from './OccupancyCard';

export function OverviewTab() {
  return (
    <div className="overview">
      <div className="side">
        <OccupancyCard />
        <ConnectionCard />
        <DemoControls />
      </div>
      <CheckinFeed />
    </div>
  );
}

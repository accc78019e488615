import { Placeholder } from '../../components/Placeholder';

export function AnalyticsTab() {
  return <Placeholder title="Analytics">Stored history, trends, export and offline review of exports are coming.</Placeholder>;
}

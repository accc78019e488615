import { Placeholder } from '../../components/Placeholder';

export function PoolsTab() {
  return <Placeholder title="Connection pools">Named pools, strategies and health scores are coming. The Backend card on Overview shows each instance today.</Placeholder>;
}

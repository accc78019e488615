import { Placeholder } from '../../components/Placeholder';

export function PerformanceTab() {
  return <Placeholder title="Performance">Live latency, throughput, error-rate, memory and CPU charts are coming.</Placeholder>;
}

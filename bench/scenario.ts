/** What every benchmark scenario is given; kept apart so scenarios and the runner do not import each other. */
export interface ScenarioOptions {
  /** CI-sized run. */
  quick: boolean;
  /** Overrides the scenario's own fault count. */
  faults?: number;
  seed?: number;
  /** Where load scenarios find their backend (default: the in-process reference cluster). */
  backend?: 'in-process' | 'redis';
  /** Add a long fault-free run where the scenario has one (scaleout: false detections). */
  soak?: boolean;
  /** Progress for a person; always stderr. */
  log: (message: string) => void;
}

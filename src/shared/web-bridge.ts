import type { Result } from './result';

/** Frames of the headless host's bridge: the GymApi contract carried over one loopback WebSocket. */
export const BRIDGE_PATH = '/bridge';

export interface BridgeCall {
  id: number;
  name: string;
  payload?: unknown;
}

export type BridgeFrame = { id: number; result: Result<unknown> } | { event: string; payload: unknown };

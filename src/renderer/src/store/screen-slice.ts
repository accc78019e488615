import type { StateCreator } from 'zustand/vanilla';
import type { ConsoleState } from './console-store';

export interface HeapPoint {
  /** The perf tick it was read at, so it lines up with main's figures. */
  x: number;
  /** MB */
  y: number;
}

/** Figures about this screen itself, measured here rather than streamed from main. */
export interface ScreenSlice {
  rendererHeap: HeapPoint[];
  addRendererHeap: (point: HeapPoint) => void;
}

/** An hour at one a second, like main's perf feed. */
const KEEP = 3_600;

export const createScreenSlice: StateCreator<ConsoleState, [], [], ScreenSlice> = (set, get) => ({
  rendererHeap: [],
  addRendererHeap: (point) => set({ rendererHeap: [...get().rendererHeap.slice(1 - KEEP), point] }),
});

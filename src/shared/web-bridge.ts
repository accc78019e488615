import type { Result } from './result';

/** Frames of the headless host's bridge: the GymApi contract carried over one loopback WebSocket. */
export const BRIDGE_PATH = '/bridge';

export interface BridgeCall {
  id: BridgeId;
  name: string;
  payload?: unknown;
}

/** What our own page and tools read: they send numeric ids, so their replies carry them. */
export type BridgeFrame = { id: number; result: Result<unknown> } | { event: string; payload: unknown };

/** What the host may send any peer: `id` is null only when the call's own id was unusable, -1 when the frame was not a call at all. */
export type HostFrame = { id: BridgeId | null; result: Result<unknown> } | { event: string; payload: unknown };

/** Request ids the host echoes back: safe integers or short strings. */
export type BridgeId = number | string;

/**
 * A page whose bridge would not open asks here whether the console refused its token (401) or is not there at
 * all: a browser's WebSocket does not say the upgrade's status. GET, with the token in the query; 204 when it is right.
 */
export const TOKEN_CHECK_PATH = '/token-check';

/** Bridges at once: far more screens than one gym opens on one PC (desk, manager, a kiosk or two, a wall display). */
export const MAX_SCREENS = 32;

/**
 * How the host closes a screen's bridge to make room for a new screen (all places were taken and this one
 * had been unused longest). The screen says so and waits before it tries again, so two screens do not take
 * turns closing each other.
 */
export const MAKE_ROOM_CLOSE = { code: 4001, reason: 'closed to make room for another screen' } as const;
/**
 * How long a screen closed to make room waits before it tries again: long enough that screens taking turns
 * (more open than there are places) stay put a while, short enough that a kiosk is not out for long.
 */
export const MAKE_ROOM_RETRY_MS = 10_000;

/** Finished exports are downloaded from here (GET NAME, with the token and a download ticket in the query). */
export const EXPORTS_PATH = '/exports/';
/** Export files for review are uploaded here (POST, with the token, an upload ticket and the file's name in the query). */
export const UPLOAD_PATH = '/uploads';
/** Far above a year of one gym's history; a bigger upload is refused before it fills the disk. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, Events, GymApi, RequestName } from '../shared/contract';
import { API_KEY, IPC_CALL, IPC_EVENT } from '../shared/ipc';

/** Exactly the contract, nothing more: no raw ipcRenderer reaches the page. */
const api = {
  call: <K extends RequestName>(name: K, input?: unknown) => ipcRenderer.invoke(IPC_CALL, name, input),
  on: <E extends EventName>(name: E, listener: (payload: Events[E]) => void) => {
    const handler = (_e: IpcRendererEvent, event: string, payload: Events[E]): void => {
      if (event === name) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => void ipcRenderer.off(IPC_EVENT, handler);
  },
} satisfies GymApi;

contextBridge.exposeInMainWorld(API_KEY, api);

/**
 * Main-side IPC: one handler per contract channel. Each checks that the call comes from our window's
 * top frame, validates the arguments against the contract, and calls the same engine API as the HTTP
 * server. Replies carry errors as data (see Reply) so the renderer can show them.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { CHANNEL_NAMES, dispatch, ipcName } from '../common/ipc-contract'
import type { EngineApi } from '../common/ipc-contract'

export type SenderCheck = (e: IpcMainInvokeEvent) => boolean

export function registerIpc(ipc: Pick<IpcMain, 'handle'>, api: EngineApi, trusted: SenderCheck): void {
  for (const name of CHANNEL_NAMES) {
    ipc.handle(ipcName(name), (e, raw: unknown) => {
      if (!trusted(e)) return Promise.resolve({ ok: false, error: 'untrusted sender', code: 'contract' })
      return dispatch(api, name, raw)
    })
  }
}

/** Our renderer is the packaged index.html loaded from disk; nothing else may call. */
export function senderIsRenderer(rendererUrl: string, windowIds: () => readonly number[]): SenderCheck {
  return (e) => {
    const frame = e.senderFrame
    if (frame === null || frame.parent !== null) return false
    if (!windowIds().includes(e.sender.id)) return false
    return frame.url.split('#')[0] === rendererUrl
  }
}

/**
 * Preload (sandboxed): exposes exactly one object, `window.peregrine`, built from the contract. The
 * renderer gets a typed `call(channel, args)` and a way to turn a dropped File into its path; nothing
 * else from Electron or Node crosses the bridge.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { ipcName, isChannel } from '../common/ipc-contract'
import type { Args, Channel, Reply, Results } from '../common/ipc-contract'

const peregrine = {
  async call<C extends Channel>(name: C, args: Args<C>): Promise<Results[C]> {
    if (!isChannel(name)) throw new Error(`unknown channel ${String(name)}`)
    const reply = (await ipcRenderer.invoke(ipcName(name), args)) as Reply<Results[C]>
    if (!reply.ok) throw new Error(reply.error)
    return reply.result
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file)
  }
}

contextBridge.exposeInMainWorld('peregrine', peregrine)

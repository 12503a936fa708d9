/**
 * The only code that talks to the engine. In Electron, preload exposes `window.peregrine` (IPC); in a
 * browser (`peregrine serve`), calls go to POST /api/<channel> on the same origin, authenticated by the
 * session cookie the server set.
 */
import type { Args, Channel, PeregrineClient, Reply, Results } from '../../src-main/common/ipc-contract'

declare global {
  interface Window {
    peregrine?: PeregrineClient & {
      /** Electron only: the file path of a dropped File */
      pathForFile?: (f: File) => string
    }
  }
}

const http: PeregrineClient = {
  async call<C extends Channel>(name: C, args: Args<C>): Promise<Results[C]> {
    const r = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
      credentials: 'same-origin'
    })
    const reply = (await r.json()) as Reply<Results[C]>
    if (!reply.ok) throw new Error(reply.error)
    return reply.result
  }
}

// (globalThis, not window: pure helpers importing this module also run under Node in tests)
const bridge = (globalThis as { peregrine?: Window['peregrine'] }).peregrine

export const client: PeregrineClient = bridge ?? http

export function isDesktop(): boolean {
  return bridge !== undefined
}

/**
 * Builds a ScapEvent by hand (no decoder needed): the params are laid out back to back in one buffer, with the
 * layout 0.29.3 uses for that code (the current one when the event has more params).
 */
import { ScapEvent } from '../../src-main/engine/capture/scap-event'
import { EVENT_TABLE } from '../../src-main/engine/capture/schema/event-table.generated'
import type { EventInfo } from '../../src-main/engine/capture/schema/event-info'
import type { FdView, RenderContext } from '../../src-main/engine/format/render-context'

export function makeEvent(
  code: number,
  params: readonly Buffer[],
  opts: { tid?: number; tsHi?: number; tsLo?: number; cpu?: number; num?: number } = {}
): ScapEvent {
  const ev = new ScapEvent()
  const info = EVENT_TABLE[code] as EventInfo
  ev.type = code
  ev.info = info
  ev.nparams = params.length
  ev.layout =
    info.params0293 !== null && params.length <= info.params0293.length ? info.params0293 : info.params
  ev.buf = Buffer.concat(params)
  let off = 0
  params.forEach((p, i) => {
    ev.pOff[i] = off
    ev.pLen[i] = p.length
    off += p.length
  })
  ev.len = off
  ev.tid = opts.tid ?? 100
  ev.tsHi = opts.tsHi ?? 0
  ev.tsLo = opts.tsLo ?? 0
  ev.cpu = opts.cpu ?? 0
  ev.num = opts.num ?? 1
  return ev
}

/** A RenderContext over fixed tables (what the state engine would answer). */
export function fixedContext(o: {
  hasThread?: boolean
  fds?: Record<number, FdView>
  comms?: Record<number, string>
  cwd?: string
  users?: Record<number, string>
  groups?: Record<number, string>
}): RenderContext {
  return {
    hasThread: o.hasThread ?? true,
    fd: (n) => o.fds?.[n],
    comm: (t) => o.comms?.[t],
    cwd: () => o.cwd ?? '',
    userName: (u) => o.users?.[u],
    groupName: (g) => o.groups?.[g]
  }
}

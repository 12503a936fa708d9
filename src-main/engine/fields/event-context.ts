import type { ScapEvent } from '../capture/scap-event'
import type { FdView, RenderContext } from '../format/render-context'
import type { FdInfo } from '../state/fd-info'
import type { StateEngine } from '../state/state-engine'
import type { ThreadInfo } from '../state/thread-info'

/**
 * What every field reads: the current event and the state engine right after it processed the event.
 * One instance is reused for all events of a run (set `ev` before extracting). It also serves as the
 * RenderContext of the argument renderers (format/).
 */
export class EventContext implements RenderContext {
  ev: ScapEvent
  readonly state: StateEngine

  constructor(state: StateEngine, ev: ScapEvent) {
    this.state = state
    this.ev = ev
  }

  /**
   * The event's thread as the field extractors see it (sinsp_evt::get_thread_info): the one the parser
   * attached, else whatever thread now has the event's tid (e.g. a child created by its own clone exit).
   */
  get tinfo(): ThreadInfo | undefined {
    return this.state.eventThread(this.ev.tid)
  }

  get fdinfo(): FdInfo | undefined {
    return this.state.fdinfo
  }

  // ---- RenderContext ----

  get hasThread(): boolean {
    return this.state.tinfo !== undefined
  }

  fd(n: number): FdView | undefined {
    const t = this.state.tinfo
    if (t === undefined) return undefined
    const f = this.state.threads.getFd(t, n)
    if (f === undefined) return undefined
    return { type: f.type, l4proto: f.l4proto(), name: f.name }
  }

  comm(tid: number): string | undefined {
    return this.state.threads.get(tid)?.comm
  }

  cwd(): string {
    const t = this.state.tinfo
    return t === undefined ? '' : this.state.threads.cwd(t)
  }

  userName(uid: number): string | undefined {
    return this.state.users.get(uid >>> 0)?.name
  }

  groupName(gid: number): string | undefined {
    return this.state.groups.get(gid >>> 0)?.name
  }
}

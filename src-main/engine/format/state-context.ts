/**
 * RenderContext over the state engine, for the event the engine has just processed (call
 * `engine.process(ev)` first, then render). One instance per engine; it allocates nothing per lookup.
 */
import type { FdInfo } from '../state/fd-info'
import type { StateEngine } from '../state/state-engine'
import type { FdView, RenderContext } from './render-context'

class FdViewOf implements FdView {
  fd: FdInfo | undefined = undefined
  get type(): number {
    return this.fd?.type ?? 0
  }
  get l4proto(): number {
    return this.fd?.l4proto() ?? 0
  }
  get name(): string {
    return this.fd?.name ?? ''
  }
}

export class StateRenderContext implements RenderContext {
  private readonly view = new FdViewOf()

  constructor(private readonly engine: StateEngine) {}

  get hasThread(): boolean {
    return this.engine.tinfo !== undefined
  }

  fd(fd: number): FdView | undefined {
    const t = this.engine.tinfo
    if (t === undefined) return undefined
    const f = this.engine.threads.getFd(t, fd)
    if (f === undefined) return undefined
    this.view.fd = f
    return this.view
  }

  comm(tid: number): string | undefined {
    return this.engine.threads.get(tid)?.comm
  }

  cwd(): string {
    const t = this.engine.tinfo
    return t === undefined ? '' : this.engine.threads.cwd(t)
  }

  /** UID/GID params resolve against the capture's user list (UL block) even for container threads. */
  userName(uid: number): string | undefined {
    return this.engine.users.get(uid)?.name
  }

  groupName(gid: number): string | undefined {
    return this.engine.groups.get(gid)?.name
  }
}

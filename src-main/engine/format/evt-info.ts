/**
 * evt.info / evt.args and the per-argument fields (evt.arg.NAME, evt.arg[N], evt.rawarg.NAME) as sysdig 0.29.3
 * prints them. Pure functions of the event plus a RenderContext (render-context.ts).
 *
 *   renderEvtArgs(ev, ctx)  → "fd=3(<f>/etc/passwd) name=/etc/passwd flags=4097(O_RDONLY|O_CLOEXEC) mode=0 "
 *
 * Each parameter is `name=value ` or `name=value(resolved) ` (note the trailing space after the last one);
 * generic (syscall-ID-only) events have empty args. evt.info equals evt.args in sysdig -r output except for
 * the syslog decoder (writes to /dev/log), which 0.29.3 applies only to live captures' state and which the
 * caller handles if it wants to.
 */
import type { ScapEvent } from '../capture/scap-event'
import { PT } from '../capture/schema/event-table.generated'
import { paramSpec, renderParam, visibleParams, type ParamText } from './param-render'
import { DEFAULT_RENDER_OPTIONS, type RenderContext, type RenderOptions } from './render-context'
import { EVENT_NAMES_0293, SYSCALL_NAMES_0293 } from './flag-tables.generated'

const PPME_GENERIC_E = 0
const PPME_GENERIC_X = 1

const scratch: ParamText = { value: '', resolved: '' }

/** evt.args (and evt.info): every parameter as `name=value(resolved) `. */
export function renderEvtArgs(
  ev: ScapEvent,
  ctx: RenderContext,
  opts: RenderOptions = DEFAULT_RENDER_OPTIONS
): string {
  if (ev.type === PPME_GENERIC_E || ev.type === PPME_GENERIC_X) return ''
  let s = ''
  const n = visibleParams(ev)
  for (let i = 0; i < n; i++) {
    renderParam(ev, i, ctx, opts, scratch)
    s += paramSpec(ev, i)[0] + '=' + scratch.value
    s += scratch.resolved === '' ? ' ' : '(' + scratch.resolved + ') '
  }
  return s
}

/** evt.info: same as evt.args for every event sysdig -r shows. */
export const renderEvtInfo = renderEvtArgs

/** evt.dir: `>` for enter (even codes), `<` for exit. */
export function evtDir(ev: ScapEvent): string {
  return (ev.type & 1) === 0 ? '>' : '<'
}

/**
 * evt.type as 0.29.3 names it: the event table name, or for generic events the 0.29.3 syscall table name of
 * the ID parameter (`<unknown>` for 0, `llseek`, `newselect`, `setuid`… where current libs differ).
 */
export function evtTypeName(ev: ScapEvent): string {
  if ((ev.type === PPME_GENERIC_E || ev.type === PPME_GENERIC_X) && ev.nparams > 0 && ev.pLen[0] === 2) {
    const id = ev.buf.readUInt16LE(ev.pOff[0] ?? 0)
    return SYSCALL_NAMES_0293[id] ?? ev.typeName
  }
  return EVENT_NAMES_0293[ev.type] ?? ev.typeName
}

/** Index of the parameter named `name` in the 0.29.3 layout of this event, or -1. */
export function argIndex(ev: ScapEvent, name: string): number {
  const n = visibleParams(ev)
  for (let i = 0; i < n; i++) if (paramSpec(ev, i)[0] === name) return i
  return -1
}

/**
 * evt.arg.NAME / evt.arg[N]: the resolved text when there is one, else the value (sysdig's TYPE_ARGSTR);
 * undefined when the event has no such parameter (sysdig prints <NA>).
 */
export function evtArg(
  ev: ScapEvent,
  nameOrIndex: string | number,
  ctx: RenderContext,
  opts: RenderOptions = DEFAULT_RENDER_OPTIONS
): string | undefined {
  const i = typeof nameOrIndex === 'number' ? nameOrIndex : argIndex(ev, nameOrIndex)
  if (i < 0 || i >= visibleParams(ev)) return undefined
  const r = renderParam(ev, i, ctx, opts)
  return r.resolved !== '' ? r.resolved : r.value
}

/** Both forms of one parameter (value and resolved text), or undefined when absent. */
export function evtArgParts(
  ev: ScapEvent,
  nameOrIndex: string | number,
  ctx: RenderContext,
  opts: RenderOptions = DEFAULT_RENDER_OPTIONS
): ParamText | undefined {
  const i = typeof nameOrIndex === 'number' ? nameOrIndex : argIndex(ev, nameOrIndex)
  if (i < 0 || i >= visibleParams(ev)) return undefined
  return renderParam(ev, i, ctx, opts)
}

/** PT type of a parameter in the 0.29.3 layout (for evt.rawarg typing). */
export function argType(ev: ScapEvent, i: number): number {
  return i >= 0 && i < ev.nparams ? paramSpec(ev, i)[1] : PT.NONE
}

/**
 * The exact path for filters on fields the index does not hold: the capture is read again through the state
 * engine and the filter is evaluated by the real field extractors on every event, as `peregrine events` does.
 * The matching event numbers are cached per filter text for the life of the QueryDb.
 */
import { existsSync, statSync } from 'node:fs'
import type { Ast } from '../filter/ast'
import { compileCondition } from '../filter/compile'
import { FilterError } from '../filter/errors'
import { readCapture } from '../capture/read-capture'
import type { ScapEvent } from '../capture/scap-event'
import { EventContext } from '../fields/event-context'
import { StateEngine } from '../state/state-engine'
import { fieldRegistry } from '../rules/syscall-fields'
import { metaValue } from '../index/db'
import { EventVisibility } from '../state/hidden-events'
import type { QueryDb } from './query-db'

const cache = new WeakMap<QueryDb, Map<string, number[]>>()

export class ScanUnavailable extends Error {}

/** Compiles the filter with the field registry (throws FilterError for unknown fields or bad values). */
export function compileWithRegistry(ast: Ast, text: string): (ctx: EventContext) => boolean {
  const registry = fieldRegistry()
  if (registry === undefined)
    throw new FilterError(
      'FLT_UNKNOWN_FIELD',
      'this filter uses fields the index does not hold, and the field extractors are not available',
      { start: 0, end: text.length },
      text
    )
  return compileCondition(ast, text, registry)
}

export async function scanFilterMatches(q: QueryDb, ast: Ast, text: string): Promise<number[]> {
  let per = cache.get(q)
  if (per === undefined) {
    per = new Map<string, number[]>()
    cache.set(q, per)
  }
  const hit = per.get(text)
  if (hit !== undefined) return hit
  const pred = compileWithRegistry(ast, text)
  const cap = q.q('SELECT path, size FROM capture WHERE id = 1').get() as { path: string; size: number }
  if (!existsSync(cap.path) || statSync(cap.path).size !== cap.size)
    throw new ScanUnavailable(`the capture ${cap.path} is needed for this filter and is no longer there`)
  const state = new StateEngine()
  const ctx = new EventContext(state, undefined as unknown as ScapEvent)
  const nums: number[] = []
  const visibility = new EventVisibility()
  const eventSet = metaValue(q.db, 'event_set') === 'head' ? 'head' : 'sysdig0293'
  await readCapture(
    cap.path,
    {
      section: (shb) => {
        visibility.section(shb.index)
        state.section()
      },
      machineInfo: (m) => {
        state.machineInfo(m)
      },
      thread: (t) => {
        state.thread(t)
      },
      fd: (tid, f) => {
        state.fd(tid, f)
      },
      user: (u) => {
        state.user(u)
      },
      group: (g) => {
        state.group(g)
      },
      iface: (i) => {
        state.iface(i)
      },
      event: (ev) => {
        const v = visibility.classify(ev)
        if (v === 'drop') return undefined
        state.process(ev)
        if (v === 'hide') return undefined
        ctx.ev = ev
        if (pred(ctx)) nums.push(ev.num)
        return undefined
      }
    },
    { eventSet }
  )
  per.set(text, nums)
  return nums
}

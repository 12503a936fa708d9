/**
 * Every read model by name, with how its arguments are read from a command line: `peregrine query` and the
 * tests use this table, so the CLI can answer everything the UI asks.
 */
import type { TimeWindow } from '../../common/model/types'
import type { QueryDb } from './query-db'
import { overview } from './overview'
import { processTree } from './process-tree'

export class QueryArgError extends Error {}

/** Command-line style arguments: flag values by name, and positional words after the model name. */
export interface QueryArgs {
  get(name: string): string | undefined
  has(name: string): boolean
  rest: readonly string[]
}

export interface ReadModel {
  usage: string
  run(q: QueryDb, a: QueryArgs): unknown
  text?: (result: unknown) => string
}

export function intArg(a: QueryArgs, name: string, dflt: number | null): number | null {
  const v = a.get(name)
  if (v === undefined) return dflt
  if (!/^-?\d+$/.test(v)) throw new QueryArgError(`--${name} needs an integer, got '${v}'`)
  return Number(v)
}

export function reqIntArg(a: QueryArgs, name: string, dflt?: number): number {
  const v = intArg(a, name, dflt ?? null)
  if (v === null) throw new QueryArgError(`--${name} is required`)
  return v
}

/** --from/--to as absolute ns (decimal) or as offsets from the capture start ("+1.5s", "+200ms", "+10us"). */
export function windowArg(q: QueryDb, a: QueryArgs): TimeWindow | null {
  const from = a.get('from')
  const to = a.get('to')
  if (from === undefined && to === undefined) return null
  const conv = (v: string | undefined, dflt: number): string => {
    if (v === undefined) return q.abs(dflt)
    const m = /^\+(\d+(?:\.\d+)?)(ns|us|ms|s)?$/.exec(v)
    if (m !== null) {
      const mult = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[(m[2] ?? 'ns') as 'ns' | 'us' | 'ms' | 's']
      return q.abs(q.firstTs + Math.round(Number(m[1]) * mult))
    }
    if (!/^\d{1,20}$/.test(v))
      throw new QueryArgError(`bad time '${v}' (ns since the epoch, or +N[ns|us|ms|s])`)
    return v
  }
  return { from: conv(from, q.firstTs), to: conv(to, q.lastTs + 1) }
}

export const READ_MODELS = {
  overview: {
    usage: 'capture, counts, data quality, alerts by priority/tactic, top processes, files, endpoints',
    run: (q) => overview(q)
  },
  'process-tree': {
    usage: '[--focus UPID [--mode both|lineage|descendants]] [--from T --to T] [--limit N]',
    run: (q, a) => {
      const mode = a.get('mode') ?? 'both'
      if (mode !== 'both' && mode !== 'lineage' && mode !== 'descendants')
        throw new QueryArgError('--mode is both, lineage or descendants')
      return processTree(q, {
        window: windowArg(q, a),
        focus: intArg(a, 'focus', null),
        mode,
        limit: intArg(a, 'limit', null) ?? undefined
      })
    }
  }
} satisfies Record<string, ReadModel>

export type ReadModelName = keyof typeof READ_MODELS

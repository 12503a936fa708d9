/**
 * Every read model by name, with how its arguments are read from a command line: `peregrine query` and the
 * tests use this table, so the CLI can answer everything the UI asks.
 */
import type { TimeWindow } from '../../common/model/types'
import type { QueryDb } from './query-db'
import { overview } from './overview'
import { processTree } from './process-tree'
import { processDetail } from './process-detail'
import { timeline } from './timeline'
import { eventsAround, eventsPage, checkFilter } from './events'
import { connections } from './connections'
import { fileActivity } from './files'
import { alertDetail, alerts } from './alerts'
import { search } from './search'
import { commands, errors, stream, topConnections, topFiles, topFilesErrors } from './io'

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
    usage:
      '[--from T --to T] capture, counts, data quality, alerts by priority/tactic, top processes, files, endpoints',
    run: (q, a) => overview(q, { window: windowArg(q, a) })
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
  },
  process: {
    usage: '--upid UPID',
    run: (q, a) => {
      const r = processDetail(q, reqIntArg(a, 'focus'))
      if (r === null) throw new QueryArgError('no such process')
      return r
    }
  },
  timeline: {
    usage: '[--from T --to T] [--buckets N]',
    run: (q, a) => timeline(q, { window: windowArg(q, a), buckets: intArg(a, 'buckets', 100) ?? 100 })
  },
  events: {
    usage:
      '[FILTER] [--upid UPID] [--from T --to T] [--limit N] [--offset N | --after NUM] [--around NUM [--before N]]',
    run: (q, a) => {
      const around = intArg(a, 'around', null)
      if (around !== null) {
        const n = intArg(a, 'before', 10) ?? 10
        return eventsAround(q, around, n, intArg(a, 'limit', n) ?? n)
      }
      return eventsPage(q, {
        filter: a.rest.join(' '),
        window: windowArg(q, a),
        upid: intArg(a, 'focus', null),
        limit: intArg(a, 'limit', 100) ?? 100,
        offset: intArg(a, 'offset', 0) ?? 0,
        after: intArg(a, 'after', null)
      })
    }
  },
  'filter-check': {
    usage: 'FILTER',
    run: (q, a) => ({ problem: checkFilter(q, a.rest.join(' ')) })
  },
  connections: {
    usage: '[--upid UPID] [--from T --to T] [--by endpoint|process] [--limit N]',
    run: (q, a) => {
      const r = connections(q, {
        window: windowArg(q, a),
        upid: intArg(a, 'focus', null),
        limit: intArg(a, 'limit', null) ?? undefined
      })
      const by = a.get('by')
      if (by === 'endpoint') return r.byEndpoint
      if (by === 'process') return r.rows
      if (by !== undefined) throw new QueryArgError('--by is endpoint or process')
      return r
    }
  },
  files: {
    usage: '[--upid UPID] [--from T --to T] [--by path] [--limit N]',
    run: (q, a) => {
      const r = fileActivity(q, {
        window: windowArg(q, a),
        upid: intArg(a, 'focus', null),
        limit: intArg(a, 'limit', null) ?? undefined
      })
      const by = a.get('by')
      if (by === 'path') return r.byPath
      if (by !== undefined) throw new QueryArgError('--by is path')
      return r
    }
  },
  alerts: {
    usage: '[--upid UPID] [--from T --to T] [--by rule|priority|tactic] [--id ALERT]',
    run: (q, a) => {
      const id = intArg(a, 'id', null)
      if (id !== null) {
        const d = alertDetail(q, id)
        if (d === null) throw new QueryArgError('no such alert')
        return d
      }
      const r = alerts(q, {
        window: windowArg(q, a),
        upid: intArg(a, 'focus', null),
        limit: intArg(a, 'limit', null) ?? undefined
      })
      const by = a.get('by')
      if (by === 'rule') return r.byRule
      if (by === 'priority') return r.byPriority
      if (by === 'tactic') return r.byTactic
      if (by !== undefined) throw new QueryArgError('--by is rule, priority or tactic')
      return r
    }
  },
  search: {
    usage: 'TEXT [--limit N]',
    run: (q, a) => search(q, a.rest.join(' '), intArg(a, 'limit', 100) ?? 100)
  },
  stream: {
    usage: '--fd PID:FD | --connection TUPLE | FDNAME [--limit N]',
    run: (q, a) => {
      const fd = a.get('fd')
      if (fd !== undefined) {
        const m = /^(\d+):(\d+)$/.exec(fd)
        if (m === null) throw new QueryArgError('--fd is PID:FD')
        return stream(q, {
          pidFd: { pid: Number(m[1]), fd: Number(m[2]) },
          limit: intArg(a, 'limit', null) ?? undefined
        })
      }
      const name = a.get('connection') ?? a.rest.join(' ')
      if (name === '') throw new QueryArgError('give --fd PID:FD or --connection TUPLE')
      return stream(q, { name, limit: intArg(a, 'limit', null) ?? undefined })
    }
  },
  commands: { usage: 'commands run from shells (spy_users)', run: (q) => commands(q) },
  errors: {
    usage: '[--limit N] failed syscalls by errno, process and path',
    run: (q, a) => errors(q, intArg(a, 'limit', 20) ?? 20)
  },
  'top-files-errors': {
    usage: '[--limit N] files by failed calls on their fds (topfiles_errors)',
    run: (q, a) => topFilesErrors(q, intArg(a, 'limit', 100) ?? 100)
  },
  'top-files': {
    usage: '[--limit N] files by bytes (topfiles_bytes)',
    run: (q, a) => topFiles(q, intArg(a, 'limit', 20) ?? 20)
  },
  'top-connections': {
    usage: '[--limit N] connections by bytes (topconns)',
    run: (q, a) => topConnections(q, intArg(a, 'limit', 20) ?? 20)
  }
} satisfies Record<string, ReadModel>

export type ReadModelName = keyof typeof READ_MODELS

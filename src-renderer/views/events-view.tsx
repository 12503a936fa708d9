import { useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import type { EventRow, FilterProblem } from '../../src-main/common/model/types'
import { client } from '../api/client'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { href } from '../app/route'
import { ErrorBox, Link, ProcessLink, Section } from '../widgets/bits'
import { count, dateTime } from '../widgets/format'
import { COLUMNS, EventTable, PAGE } from './event-table'
import type { ColumnKey } from './event-table'
import { EventList } from './small-tables'

const FIRST_PAGE = PAGE

function keyOf(q: { filter: string; window: unknown; upid: number | null }, generation: number): string {
  return JSON.stringify([q.filter, q.window, q.upid, generation])
}
const DEFAULT_COLUMNS: ColumnKey[] = ['num', 'time', 'proc', 'dir', 'type', 'fd', 'res', 'info']

/** The filter text with the offending range marked, under the input. */
function InlineError(props: { text: string; problem: FilterProblem }): ReactNode {
  const { text, problem } = props
  const s = Math.max(0, Math.min(problem.start, text.length))
  const e = Math.max(s + 1, Math.min(problem.end, text.length))
  return (
    <div className="filter-error" role="alert" data-testid="filter-error">
      <span className="filter-error-msg">{problem.message}</span>
      <code className="filter-excerpt">
        {text.slice(0, s)}
        <mark>{text.slice(s, e) === '' ? ' ' : text.slice(s, e)}</mark>
        {text.slice(e)}
      </code>
    </div>
  )
}

function EventDetail(props: { e: EventRow }): ReactNode {
  const e = props.e
  return (
    <dl className="facts event-detail" data-testid="event-detail">
      <div>
        <dt>Event</dt>
        <dd>
          #{e.num} {e.dir} {e.type} ({e.category})
        </dd>
      </div>
      <div>
        <dt>Time</dt>
        <dd>{dateTime(e.ts)}</dd>
      </div>
      <div>
        <dt>Process</dt>
        <dd>
          <ProcessLink upid={e.upid} name={e.procName} pid={e.pid} /> tid {e.tid}, cpu {e.cpu}
        </dd>
      </div>
      <div>
        <dt>FD</dt>
        <dd>{e.fdName ?? '—'}</dd>
      </div>
      <div>
        <dt>Result</dt>
        <dd>{e.res ?? '—'}</dd>
      </div>
      <div>
        <dt>Arguments</dt>
        <dd className="info">{e.info}</dd>
      </div>
      <div>
        <dt>Around</dt>
        <dd>
          <Link to={{ view: 'events', filter: '', upid: null, num: e.num }}>show its neighbours</Link>
        </dd>
      </div>
    </dl>
  )
}

function Around(props: { num: number }): ReactNode {
  const { status } = useApp()
  const q = useQuery('events.around', { num: props.num, before: 10, after: 10 }, status.generation)
  return (
    <Section
      title={`Event #${props.num} and its neighbours`}
      extra={
        <a href="#/events" className="more">
          close
        </a>
      }
    >
      {q.error !== null ? <ErrorBox error={q.error} /> : null}
      {q.data === null ? null : q.data.rows.length === 0 ? (
        <div className="muted">No event #{props.num}.</div>
      ) : (
        <EventList rows={q.data.rows} target={props.num} />
      )}
    </Section>
  )
}

export function EventsView(props: { filter: string; upid: number | null; num: number | null }): ReactNode {
  const { status, window: win } = useApp()
  const [text, setText] = useState(props.filter)
  const [applied, setApplied] = useState(props.filter)
  const [problem, setProblem] = useState<FilterProblem | null>(null)
  const [counted, setCounted] = useState<{ key: string; n: number; exact: boolean } | null>(null)
  // the first page of the shown query (it also seeds the table), fetched once per query
  const [first, setFirst] = useState<{ key: string; rows: EventRow[] } | null>(null)
  const firstKey = useRef<string | null>(null)
  const [columns, setColumns] = useState<ColumnKey[]>(DEFAULT_COLUMNS)
  const [selected, setSelected] = useState<EventRow | null>(null)
  const [jump, setJump] = useState('')
  const [error, setError] = useState<string | null>(null)

  // a link to another filter replaces the typed one
  const [linked, setLinked] = useState(props.filter)
  if (linked !== props.filter) {
    setLinked(props.filter)
    setText(props.filter)
    setApplied(props.filter)
  }

  const query = useMemo(
    () => ({ filter: applied, window: win, upid: props.upid }),
    [applied, win, props.upid]
  )

  // the first page gives a lower bound on the total (and whether the filter compiles) so rows show at once;
  // the exact count over the whole match follows
  const queryKey = keyOf(query, status.generation)
  const total = counted !== null && counted.key === queryKey ? counted : null
  useEffect(() => {
    let live = true
    const fail = (e: unknown): void => {
      if (live) setError(e instanceof Error ? e.message : String(e))
    }
    const exact = (): void => {
      client.call('events', { ...query, offset: 0, limit: 1, count: true }).then((x) => {
        if (live && x.ok) setCounted({ key: queryKey, n: x.total, exact: true })
      }, fail)
    }
    // Apply already fetched the first page of this query
    if (firstKey.current === queryKey) exact()
    else
      client.call('events', { ...query, offset: 0, limit: FIRST_PAGE, count: false }).then((r) => {
        if (!live) return
        setError(null)
        if (!r.ok) {
          setProblem(r.error)
          return
        }
        setProblem(null)
        firstKey.current = queryKey
        setFirst({ key: queryKey, rows: r.rows })
        setCounted({ key: queryKey, n: r.total, exact: r.totalExact })
        if (!r.totalExact) exact()
      }, fail)
    return () => {
      live = false
    }
  }, [query, queryKey])

  // syntax check while typing, so errors show before Enter
  useEffect(() => {
    if (text === applied) return
    let live = true
    const t = window.setTimeout(() => {
      client.call('filter.check', { filter: text }).then(
        (p) => {
          if (live) setProblem(p)
        },
        () => undefined
      )
    }, 250)
    return () => {
      live = false
      window.clearTimeout(t)
    }
  }, [text, applied])

  // a filter replaces the shown one only when it compiles: a typo keeps the last good table
  const apply = (): void => {
    if (text === applied) return
    const next = { filter: text, window: win, upid: props.upid }
    client.call('events', { ...next, offset: 0, limit: FIRST_PAGE, count: false }).then(
      (r) => {
        if (!r.ok) {
          setProblem(r.error)
          return
        }
        const key = keyOf(next, status.generation)
        setProblem(null)
        firstKey.current = key
        setFirst({ key, rows: r.rows })
        setCounted({ key, n: r.total, exact: r.totalExact })
        setApplied(text)
        const h = href({ view: 'events', filter: text, upid: props.upid, num: null })
        if (window.location.hash !== h) window.history.replaceState(null, '', h)
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e))
      }
    )
  }
  const shownProblem = problem
  return (
    <div className="events-view">
      <div className="filter-bar">
        <input
          className={shownProblem === null ? 'filter-input' : 'filter-input invalid'}
          data-focus-key="/"
          data-testid="filter-input"
          aria-label="Filter (Falco/sysdig syntax)"
          aria-invalid={shownProblem !== null}
          placeholder="Filter, e.g. evt.type=openat and fd.name startswith /etc   (press / to focus, Enter to apply)"
          spellCheck={false}
          value={text}
          onChange={(e) => {
            setText(e.target.value)
            // back to the shown filter: its (absent) problem applies again
            if (e.target.value === applied) setProblem(null)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply()
          }}
        />
        <button type="button" onClick={apply}>
          Apply
        </button>
        <details className="columns">
          <summary>Columns</summary>
          <div className="column-menu">
            {COLUMNS.map((c) => (
              <label key={c.key}>
                <input
                  type="checkbox"
                  checked={columns.includes(c.key)}
                  onChange={(e) => {
                    setColumns((old) =>
                      e.target.checked
                        ? COLUMNS.map((x) => x.key).filter((k) => k === c.key || old.includes(k))
                        : old.filter((k) => k !== c.key)
                    )
                  }}
                />
                {c.label}
              </label>
            ))}
          </div>
        </details>
        <form
          className="jump"
          onSubmit={(e) => {
            e.preventDefault()
            if (/^\d+$/.test(jump))
              window.location.hash = href({
                view: 'events',
                filter: applied,
                upid: props.upid,
                num: Number(jump)
              })
          }}
        >
          <input
            aria-label="Jump to event number"
            placeholder="Go to #"
            value={jump}
            onChange={(e) => {
              setJump(e.target.value)
            }}
            size={9}
          />
        </form>
      </div>
      {shownProblem === null ? null : <InlineError text={text} problem={shownProblem} />}
      {error === null ? null : <ErrorBox error={error} />}
      <div className="events-meta">
        <span data-testid="events-total">
          {total === null ? '…' : `${count(total.n)}${total.exact ? '' : '+'} events`}
        </span>
        {props.upid === null ? null : (
          <span className="tag">
            process {props.upid}{' '}
            <Link to={{ view: 'events', filter: applied, upid: null, num: null }}>✕</Link>
          </span>
        )}
        {win === null ? null : <span className="tag">time window</span>}
      </div>
      {props.num === null ? null : <Around num={props.num} />}
      <EventTable
        query={query}
        total={total?.n ?? 0}
        seed={first !== null && first.key === queryKey ? first.rows : null}
        columns={columns}
        onSelect={setSelected}
        selected={selected?.num ?? null}
      />
      {selected === null ? null : (
        <Section title="Selected event">
          <EventDetail e={selected} />
        </Section>
      )}
    </div>
  )
}

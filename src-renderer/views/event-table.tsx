/**
 * A virtualized event table for millions of rows: only the visible rows exist in the DOM, pages of rows are
 * fetched by offset as they scroll into view, and past ~8 M px the scrollbar maps proportionally onto rows
 * (browsers cap element heights near 33 M px).
 */
import { useEffect, useRef, useState } from 'react'
import type { KeyboardEvent, ReactNode } from 'react'
import type { EventRow, TimeWindow } from '../../src-main/common/model/types'
import { client } from '../api/client'
import { useApp } from '../app/app-state'
import { ProcessLink } from '../widgets/bits'
import { rel } from '../widgets/format'

export const COLUMNS = [
  { key: 'num', label: '#', width: '80px' },
  { key: 'time', label: 'Time', width: '120px' },
  { key: 'cpu', label: 'CPU', width: '44px' },
  { key: 'proc', label: 'Process', width: '150px' },
  { key: 'tid', label: 'TID', width: '70px' },
  { key: 'dir', label: 'Dir', width: '34px' },
  { key: 'type', label: 'Type', width: '110px' },
  { key: 'fd', label: 'FD name', width: 'minmax(120px, 1fr)' },
  { key: 'res', label: 'Result', width: '80px' },
  { key: 'info', label: 'Arguments', width: 'minmax(200px, 3fr)' }
] as const
export type ColumnKey = (typeof COLUMNS)[number]['key']

const ROW = 24
export const PAGE = 200
const MAX_PX = 8_000_000

function cell(e: EventRow, k: ColumnKey, base: string | null): ReactNode {
  switch (k) {
    case 'num':
      return e.num
    case 'time':
      return rel(e.ts, base)
    case 'cpu':
      return e.cpu
    case 'proc':
      return <ProcessLink upid={e.upid} name={e.procName} pid={e.pid} />
    case 'tid':
      return e.tid
    case 'dir':
      return e.dir
    case 'type':
      return e.type
    case 'fd':
      return e.fdName ?? ''
    case 'res':
      return e.res ?? ''
    case 'info':
      return e.info
  }
}

export interface TableQuery {
  filter: string
  window: TimeWindow | null
  upid: number | null
}

export function EventTable(props: {
  query: TableQuery
  total: number
  /** the first page, when the caller already has it */
  seed: EventRow[] | null
  columns: readonly ColumnKey[]
  onSelect: (e: EventRow) => void
  selected: number | null
}): ReactNode {
  const { base, status } = useApp()
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(500)
  const [cursor, setCursor] = useState(0)
  const key = JSON.stringify(props.query) + String(status.generation)
  // fetched pages of the current query; a new query starts empty and at the top
  const [cache, setCache] = useState<{ key: string; pages: ReadonlyMap<number, EventRow[]> }>({
    key,
    pages: new Map()
  })
  const pending = useRef(new Set<string>())
  if (cache.key !== key) {
    setCache({ key, pages: new Map() })
    setScrollTop(0)
    setCursor(0)
  }
  useEffect(() => {
    if (scroller.current !== null) scroller.current.scrollTop = 0
  }, [key])
  useEffect(() => {
    const el = scroller.current
    if (el === null) return
    const ro = new ResizeObserver(() => {
      setHeight(el.clientHeight)
    })
    ro.observe(el)
    return () => {
      ro.disconnect()
    }
  }, [])
  const n = props.total
  const full = n * ROW
  const spacer = Math.min(full, MAX_PX)
  const visible = Math.ceil(height / ROW) + 1
  const scaled = full > MAX_PX
  const start = scaled
    ? Math.round((scrollTop / Math.max(1, spacer - height)) * Math.max(0, n - visible + 1))
    : Math.floor(scrollTop / ROW)
  const top = scaled ? scrollTop : start * ROW
  const end = Math.min(n, start + visible)

  const pages = cache.key === key ? cache.pages : null
  useEffect(() => {
    if (pages === null) return
    const q = props.query
    for (let p = Math.floor(start / PAGE); p <= Math.floor(Math.max(start, end - 1) / PAGE); p++) {
      const id = `${key}|${p}`
      if (pages.has(p) || pending.current.has(id) || (p === 0 && props.seed !== null) || n === 0) continue
      pending.current.add(id)
      client
        .call('events', {
          filter: q.filter,
          window: q.window,
          upid: q.upid,
          offset: p * PAGE,
          limit: PAGE,
          count: false
        })
        .then(
          (r) => {
            pending.current.delete(id)
            setCache((c) => (c.key === key ? { key, pages: new Map(c.pages).set(p, r.ok ? r.rows : []) } : c))
          },
          () => {
            pending.current.delete(id)
          }
        )
    }
  }, [start, end, key, pages, props.query, props.seed, n])

  const rowAt = (i: number): EventRow | null =>
    (i < PAGE && props.seed !== null ? props.seed[i] : pages?.get(Math.floor(i / PAGE))?.[i % PAGE]) ?? null

  const moveTo = (i: number): void => {
    const el = scroller.current
    const c = Math.max(0, Math.min(n - 1, i))
    setCursor(c)
    const r = rowAt(c)
    if (r !== null) props.onSelect(r)
    if (el === null) return
    if (!scaled) {
      if (c * ROW < el.scrollTop) el.scrollTop = c * ROW
      else if ((c + 1) * ROW > el.scrollTop + height - ROW) el.scrollTop = (c + 2) * ROW - height
    } else if (c < start || c >= end - 1) {
      el.scrollTop = (c / Math.max(1, n - visible + 1)) * (spacer - height)
    }
  }
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: visible - 2,
      PageUp: -(visible - 2)
    }
    if (e.key in step) {
      e.preventDefault()
      moveTo(cursor + (step[e.key] ?? 0))
    } else if (e.key === 'Home') {
      e.preventDefault()
      moveTo(0)
    } else if (e.key === 'End') {
      e.preventDefault()
      moveTo(n - 1)
    }
  }
  const cols = COLUMNS.filter((c) => props.columns.includes(c.key))
  const template = cols.map((c) => c.width).join(' ')
  const rows: ReactNode[] = []
  for (let i = start; i < end; i++) {
    const r = rowAt(i)
    rows.push(
      <div
        key={i}
        className={`vrow${r !== null && r.num === props.selected ? ' selected' : ''}${i === cursor ? ' cursor' : ''}`}
        data-testid="event-row"
        data-num={r?.num}
        onClick={() => {
          setCursor(i)
          if (r !== null) props.onSelect(r)
        }}
      >
        {r === null ? (
          <span className="muted">…</span>
        ) : (
          cols.map((c) => (
            <span key={c.key} className={`vcell c-${c.key}`}>
              {cell(r, c.key, base)}
            </span>
          ))
        )}
      </div>
    )
  }
  return (
    <div className="vtable" style={{ ['--cols' as string]: template }}>
      <div className="vhead" role="row">
        {cols.map((c) => (
          <span key={c.key} className={`vcell c-${c.key}`} role="columnheader">
            {c.label}
          </span>
        ))}
      </div>
      <div
        className="vscroll"
        ref={scroller}
        tabIndex={0}
        aria-label="Events"
        onKeyDown={onKey}
        onScroll={(e) => {
          setScrollTop(e.currentTarget.scrollTop)
        }}
      >
        <div className="vspacer" style={{ height: spacer }}>
          <div className="vrows" style={{ transform: `translateY(${top}px)` }}>
            {rows}
          </div>
        </div>
      </div>
    </div>
  )
}

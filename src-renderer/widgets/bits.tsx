/** Small shared pieces: links between views, priority badges, loading and error states. */
import type { ReactNode } from 'react'
import type { Priority, TimeWindow } from '../../src-main/common/model/types'
import { href } from '../app/route'
import type { Route } from '../app/route'

export function Link(props: {
  to: Route
  children: ReactNode
  className?: string
  title?: string
}): ReactNode {
  return (
    <a href={href(props.to)} className={props.className} title={props.title}>
      {props.children}
    </a>
  )
}

export function ProcessLink(props: { upid: number | null; name: string; pid?: number }): ReactNode {
  const label = props.pid === undefined ? props.name : `${props.name} (${props.pid})`
  if (props.upid === null) return <span>{label}</span>
  return (
    <Link to={{ view: 'process', upid: props.upid }} className="proc-link">
      {label}
    </Link>
  )
}

export function EventLink(props: { num: number }): ReactNode {
  return (
    <Link to={{ view: 'events', filter: '', upid: null, num: props.num }} className="num">
      #{props.num}
    </Link>
  )
}

export function PriorityBadge(props: { priority: Priority; count?: number }): ReactNode {
  return (
    <span className={`badge prio-${props.priority.toLowerCase()}`} title={props.priority}>
      {props.priority}
      {props.count === undefined ? null : ` ${props.count}`}
    </span>
  )
}

export function Loading(): ReactNode {
  return <div className="muted loading">Loading…</div>
}

export function ErrorBox(props: { error: string }): ReactNode {
  return (
    <div className="error-box" role="alert">
      {props.error}
    </div>
  )
}

export function Section(props: { title: string; children: ReactNode; extra?: ReactNode }): ReactNode {
  return (
    <section className="card">
      <h2>
        {props.title}
        {props.extra}
      </h2>
      {props.children}
    </section>
  )
}

/** Window args for queries: the brushed window or the whole capture. */
export function windowArgs(w: TimeWindow | null): { window: TimeWindow | null } {
  return { window: w }
}

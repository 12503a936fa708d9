/** Tables shared by several views (process detail, alerts, network, files). */
import type { ReactNode } from 'react'
import type { AlertRow, ConnectionRow, EventRow, FileRow } from '../../src-main/common/model/types'
import { useApp } from '../app/app-state'
import { href } from '../app/route'
import { Link, PriorityBadge, ProcessLink } from '../widgets/bits'
import { rel } from '../widgets/format'
import { activateKeys, rowKeys } from '../widgets/keyboard'

export function AlertTable(props: {
  rows: readonly AlertRow[]
  selected?: number | null
  hideRule?: boolean
}): ReactNode {
  const { base } = useApp()
  return (
    <table className="table" onKeyDown={rowKeys}>
      <thead>
        <tr>
          <th>Time</th>
          <th>Priority</th>
          {props.hideRule === true ? null : <th>Rule</th>}
          <th>Process</th>
          <th>Output</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((a) => (
          <tr
            key={a.id}
            data-row
            tabIndex={0}
            className={`clickable alert-row${props.selected === a.id ? ' selected' : ''}`}
            data-alert-id={a.id}
            onClick={() => {
              window.location.hash = href({ view: 'alerts', id: a.id })
            }}
            onKeyDown={activateKeys(() => {
              window.location.hash = href({ view: 'alerts', id: a.id })
            })}
          >
            <td className="time">{rel(a.ts, base)}</td>
            <td>
              <PriorityBadge priority={a.priority} />
            </td>
            {props.hideRule === true ? null : <td className="rule">{a.rule}</td>}
            <td>
              <ProcessLink upid={a.upid} name={a.procName} />
            </td>
            <td className="output">{a.output}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function ConnectionTable(props: { rows: readonly ConnectionRow[] }): ReactNode {
  const { base } = useApp()
  return (
    <table className="table" onKeyDown={rowKeys}>
      <thead>
        <tr>
          <th>First seen</th>
          <th>Process</th>
          <th>Proto</th>
          <th>Dir</th>
          <th>Local</th>
          <th>Remote</th>
          <th className="num">Count</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((c, i) => (
          <tr key={i} data-row tabIndex={0} className={c.loopback ? 'loopback' : ''}>
            <td className="time">{rel(c.firstTs, base)}</td>
            <td>
              <ProcessLink upid={c.upid} name={c.procName} pid={c.pid} />
            </td>
            <td>{c.proto}</td>
            <td>{c.direction}</td>
            <td className="path">
              {c.localAddr}:{c.localPort}
            </td>
            <td className="path">
              <Link
                to={{ view: 'stream', name: c.tuple, pid: null, fd: null }}
                title="follow this connection's data"
              >
                {c.remoteAddr}:{c.remotePort}
              </Link>
              {c.loopback ? <span className="tag">loopback</span> : null}
            </td>
            <td className="num">{c.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function FileTable(props: { rows: readonly FileRow[] }): ReactNode {
  const { base } = useApp()
  return (
    <table className="table" onKeyDown={rowKeys}>
      <thead>
        <tr>
          <th>Time</th>
          <th>Process</th>
          <th>Op</th>
          <th>Access</th>
          <th>Path</th>
          <th>Result</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((f, i) => (
          <tr key={i} data-row tabIndex={0} className={f.sensitive === null ? '' : 'sensitive'}>
            <td className="time">{rel(f.ts, base)}</td>
            <td>
              <ProcessLink upid={f.upid} name={f.procName} pid={f.pid} />
            </td>
            <td>{f.op}</td>
            <td>{f.access}</td>
            <td className="path">
              {f.path}
              {f.sensitive === null ? null : <span className="tag">{f.sensitive}</span>}
            </td>
            <td>{f.res}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** A short, non-virtualized event list (neighbours of an alert or a jump target). */
export function EventList(props: { rows: readonly EventRow[]; target?: number }): ReactNode {
  const { base } = useApp()
  return (
    <table className="table events-small">
      <thead>
        <tr>
          <th>#</th>
          <th>Time</th>
          <th>Process</th>
          <th>Dir</th>
          <th>Type</th>
          <th>Arguments</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((e) => (
          <tr key={e.num} className={e.num === props.target ? 'target' : ''} data-num={e.num}>
            <td className="num">{e.num}</td>
            <td className="time">{rel(e.ts, base)}</td>
            <td>
              <ProcessLink upid={e.upid} name={e.procName} pid={e.tid} />
            </td>
            <td>{e.dir}</td>
            <td>{e.type}</td>
            <td className="info">{e.info}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function MoreLink(props: { upid: number; what: string }): ReactNode {
  return (
    <Link to={{ view: 'events', filter: '', upid: props.upid, num: null }} className="more">
      {props.what} →
    </Link>
  )
}

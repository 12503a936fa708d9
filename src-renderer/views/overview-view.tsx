import type { ReactNode } from 'react'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { ErrorBox, Link, Loading, ProcessLink, Section } from '../widgets/bits'
import { bytes, clock, count, dateTime, duration } from '../widgets/format'

function Bars(props: { items: { key: string; count: number }[]; kind: 'priority' | 'tactic' }): ReactNode {
  const max = Math.max(1, ...props.items.map((i) => i.count))
  if (props.items.length === 0) return <div className="muted">none</div>
  return (
    <ul className="bars">
      {props.items.map((i) => (
        <li key={i.key}>
          <span className="bar-label">
            {props.kind === 'priority' ? <span className={`dot-prio prio-${i.key.toLowerCase()}`} /> : null}
            {i.key}
          </span>
          <meter
            min={0}
            max={max}
            value={i.count}
            className={props.kind === 'priority' ? `prio-${i.key.toLowerCase()}` : ''}
          />
          <span className="bar-count" data-testid={`${props.kind}-${i.key}`}>
            {count(i.count)}
          </span>
        </li>
      ))}
    </ul>
  )
}

export function OverviewView(): ReactNode {
  const { status, window: win, setWindow } = useApp()
  const q = useQuery('overview', { window: win }, status.generation)
  if (q.error !== null) return <ErrorBox error={q.error} />
  const o = q.data
  if (o === null) return <Loading />
  const span = Number(BigInt(o.end) - BigInt(o.start))
  const facts: [string, ReactNode][] = [
    ['Host', o.hostname],
    // scap files rarely carry the kernel (sysdig 0.29.3 refuses a section header with options)
    [
      'Kernel',
      o.kernel === '' ? (
        <span key="kernel" className="muted">
          not in the capture
        </span>
      ) : (
        o.kernel
      )
    ],
    ['CPUs', o.numCpus],
    ['File', o.path],
    ['Size', bytes(o.sizeBytes)],
    ['SHA-256', <code key="sha">{o.sha256}</code>],
    ['Format', o.formatVersion],
    ['Start', dateTime(o.start)],
    ['End', dateTime(o.end)],
    ['Duration', duration(span)]
  ]
  const counts: [string, number][] = [
    ['Events', o.events],
    ['Processes', o.processes],
    ['Threads', o.threads],
    ['Containers', o.containers],
    ['Drops', o.drops],
    ['Anomalies', o.anomalies],
    ['Alerts', o.alerts]
  ]
  // the answer's own window, so the note never describes a window the numbers are not for
  const w = o.window ?? null
  return (
    <div className="grid overview">
      {w === null ? null : (
        <div
          className="window-note"
          // a row of its own above the sections (styles.css belongs to the app shell)
          style={{ gridColumn: '1 / -1' }}
          data-testid="overview-window"
          data-from={w.from}
          data-to={w.to}
        >
          Counts, alerts and top lists cover the brushed window: {clock(w.from)}–{clock(w.to)} (
          {duration(Number(BigInt(w.to) - BigInt(w.from)))}); capture facts and data quality are for the whole
          capture.{' '}
          <button
            type="button"
            onClick={() => {
              setWindow(null)
            }}
          >
            Reset to whole capture
          </button>
        </div>
      )}
      <Section title="Capture">
        <dl className="facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <Section title={w === null ? 'Counts' : 'Counts (window)'}>
        <div className="stats">
          {counts.map(([k, v]) => (
            <div
              key={k}
              className={`stat${k === 'Alerts' && v > 0 ? ' hot' : ''}`}
              data-testid={`count-${k.toLowerCase()}`}
            >
              <div className="stat-value">{count(v)}</div>
              <div className="stat-label">
                {k}
                {w !== null && (k === 'Drops' || k === 'Anomalies') ? ' (whole capture)' : null}
              </div>
            </div>
          ))}
        </div>
        {o.importStats.length === 0 ? null : (
          <details className="import-stats">
            <summary>Import statistics ({o.importStats.length})</summary>
            <table>
              <tbody>
                {o.importStats.map((s) => (
                  <tr key={s.name} className={`sev-${s.severity}`}>
                    <td>{s.name}</td>
                    <td>{s.severity}</td>
                    <td className="num">{count(s.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </Section>
      <Section
        title="Alerts by priority"
        extra={
          <Link to={{ view: 'alerts', id: null }} className="more">
            all alerts →
          </Link>
        }
      >
        <Bars items={o.alertsByPriority} kind="priority" />
      </Section>
      <Section title="Alerts by MITRE tactic">
        <Bars items={o.alertsByTactic} kind="tactic" />
      </Section>
      <Section title="Top processes">
        <table className="table">
          <thead>
            <tr>
              <th>Process</th>
              <th className="num">Events</th>
              <th className="num">Alerts</th>
            </tr>
          </thead>
          <tbody>
            {o.topProcesses.map((p) => (
              <tr key={p.upid}>
                <td>
                  <ProcessLink upid={p.upid} name={p.name} pid={p.pid} />
                </td>
                <td className="num">{count(p.events)}</td>
                <td className="num">
                  {p.alerts > 0 ? <span className="badge alerts-count">{count(p.alerts)}</span> : 0}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section
        title="Top files"
        extra={
          <Link to={{ view: 'files' }} className="more">
            files →
          </Link>
        }
      >
        <table className="table">
          <tbody>
            {o.topFiles.map((f) => (
              <tr key={f.path} className={f.sensitive === null ? '' : 'sensitive'}>
                <td className="path">{f.path}</td>
                <td>{f.sensitive === null ? null : <span className="tag">{f.sensitive}</span>}</td>
                <td className="num">{count(f.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section
        title="Top remote endpoints"
        extra={
          <Link to={{ view: 'network' }} className="more">
            network →
          </Link>
        }
      >
        <table className="table">
          <tbody>
            {o.topEndpoints.map((e) => (
              <tr key={e.endpoint}>
                <td className="path">{e.endpoint === '' ? '(unnamed socket)' : e.endpoint}</td>
                <td>{e.loopback ? <span className="tag">loopback</span> : null}</td>
                <td className="num">{count(e.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  )
}

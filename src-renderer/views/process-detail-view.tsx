import type { ReactNode } from 'react'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { ErrorBox, Link, Loading, PriorityBadge, ProcessLink, Section } from '../widgets/bits'
import { count, dateTime } from '../widgets/format'
import { AlertTable, ConnectionTable, FileTable, MoreLink } from './small-tables'

export function ProcessDetailView(props: { upid: number }): ReactNode {
  const { status } = useApp()
  const q = useQuery('process.detail', { upid: props.upid }, status.generation)
  if (q.error !== null) return <ErrorBox error={q.error} />
  const d = q.data
  if (d === null) return <Loading />
  const p = d.process
  const facts: [string, ReactNode][] = [
    ['Command line', <code key="c">{p.cmdline}</code>],
    ['Executable', p.exe],
    ['Working dir', p.cwd],
    ['PID / PPID', `${p.pid} / ${p.ppid}`],
    ['User', p.user],
    ['Login user', p.loginUser],
    ['TTY', p.tty === 0 ? 'none' : String(p.tty)],
    ['Container', p.container ?? 'host'],
    ['Threads', p.threads],
    ['Started', p.start === null ? 'before the capture' : dateTime(p.start)],
    ['Ended', p.end === null ? 'still running' : dateTime(p.end)],
    ['Exit status', p.exitStatus ?? '']
  ]
  return (
    <div className="grid detail">
      <Section
        title={`${p.name} (${p.pid})`}
        extra={
          <span className="more">
            {p.alerts.map((a) => (
              <PriorityBadge key={a.key} priority={a.key} count={a.count} />
            ))}{' '}
            <Link to={{ view: 'tree', focus: p.upid }}>lineage in the tree →</Link>
          </span>
        }
      >
        <dl className="facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <div className="lineage-chain" aria-label="Parents">
          {d.ancestors.map((a) => (
            <span key={a.upid}>
              <ProcessLink upid={a.upid} name={a.name} pid={a.pid} /> ›{' '}
            </span>
          ))}
          <strong>{p.name}</strong>
        </div>
        {d.children.length === 0 ? null : (
          <div className="children">
            Children:{' '}
            {d.children.map((c) => (
              <span key={c.upid} className="child">
                <ProcessLink upid={c.upid} name={c.name} pid={c.pid} />{' '}
              </span>
            ))}
          </div>
        )}
      </Section>
      <Section title={`Alerts (${d.alerts.length})`}>
        <AlertTable rows={d.alerts} />
      </Section>
      <Section title={`Files (${d.files.length})`}>
        <FileTable rows={d.files} />
      </Section>
      <Section title={`Connections (${d.connections.length})`}>
        <ConnectionTable rows={d.connections} />
      </Section>
      <Section
        title={`Events (${count(d.events)})`}
        extra={<MoreLink upid={p.upid} what="show its events" />}
      >
        <p className="muted">The events of this process, in the Events view.</p>
      </Section>
    </div>
  )
}

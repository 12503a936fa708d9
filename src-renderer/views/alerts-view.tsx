import { useState } from 'react'
import type { ReactNode } from 'react'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { ErrorBox, Link, Loading, PriorityBadge, ProcessLink, Section } from '../widgets/bits'
import { dateTime } from '../widgets/format'
import { AlertTable, EventList } from './small-tables'
import { TreeSvg } from './tree-svg'
import type { AlertRow } from '../../src-main/common/model/types'

function AlertDetailPane(props: { id: number }): ReactNode {
  const { status } = useApp()
  const q = useQuery('alert.detail', { id: props.id }, status.generation)
  if (q.error !== null) return <ErrorBox error={q.error} />
  const d = q.data
  if (d === null) return <Loading />
  const a = d.alert
  const last = d.lineage[d.lineage.length - 1]
  return (
    <div className="alert-detail" data-testid="alert-detail">
      <Section title={a.rule} extra={<PriorityBadge priority={a.priority} />}>
        <p className="output">{a.output}</p>
        <dl className="facts">
          <div>
            <dt>Time</dt>
            <dd>{dateTime(a.ts)}</dd>
          </div>
          <div>
            <dt>Process</dt>
            <dd>
              <ProcessLink upid={a.upid} name={a.procName} />
            </dd>
          </div>
          <div>
            <dt>Tactic</dt>
            <dd>{a.tactic ?? '—'}</dd>
          </div>
          <div>
            <dt>Tags</dt>
            <dd>{a.tags.join(', ')}</dd>
          </div>
          <div>
            <dt>Event</dt>
            <dd>
              <Link to={{ view: 'events', filter: '', upid: null, num: a.num }}>#{a.num}</Link>
            </dd>
          </div>
        </dl>
      </Section>
      <Section
        title="Process lineage"
        extra={
          last === undefined ? null : (
            <Link to={{ view: 'tree', focus: last.upid }} className="more">
              in the whole tree →
            </Link>
          )
        }
      >
        <TreeSvg nodes={d.lineage} focus={a.upid} testId="alert-lineage" />
      </Section>
      <Section title="Triggering event and its neighbours">
        <EventList rows={d.around} target={a.num} />
      </Section>
    </div>
  )
}

type Grouping = 'rule' | 'priority' | 'tactic'

function groupKey(a: AlertRow, g: Grouping): string {
  return g === 'rule' ? a.rule : g === 'priority' ? a.priority : (a.tactic ?? '(no tactic)')
}

export function AlertsView(props: { id: number | null }): ReactNode {
  const { status, window: win } = useApp()
  const q = useQuery('alerts', { window: win }, status.generation)
  const [grouping, setGrouping] = useState<Grouping>('rule')
  if (q.error !== null) return <ErrorBox error={q.error} />
  const d = q.data
  if (d === null) return <Loading />
  const groups = new Map<string, AlertRow[]>()
  for (const a of d.rows) {
    const k = groupKey(a, grouping)
    const list = groups.get(k) ?? []
    list.push(a)
    groups.set(k, list)
  }
  return (
    <div className="split">
      <div className="split-main">
        <div className="toolbar">
          <span>Group by</span>
          {(['rule', 'priority', 'tactic'] as const).map((g) => (
            <button
              key={g}
              type="button"
              className={grouping === g ? 'active' : ''}
              aria-pressed={grouping === g}
              onClick={() => {
                setGrouping(g)
              }}
            >
              {g}
            </button>
          ))}
          <span className="muted">
            {d.rows.length} alert{d.rows.length === 1 ? '' : 's'}
          </span>
        </div>
        {d.rows.length === 0 ? <div className="muted">No alerts in this window.</div> : null}
        {[...groups.entries()].map(([k, rows]) => (
          <details key={k} open className="alert-group">
            <summary>
              <span className="group-name">{k}</span> <span className="muted">({rows.length})</span>
            </summary>
            <AlertTable rows={rows} selected={props.id} hideRule={grouping === 'rule'} />
          </details>
        ))}
        {d.truncated ? <div className="note">Only the first alerts are shown.</div> : null}
      </div>
      <div className="split-side">
        {props.id === null ? (
          <div className="muted placeholder">Select an alert to see its event and lineage.</div>
        ) : (
          <AlertDetailPane id={props.id} />
        )}
      </div>
    </div>
  )
}

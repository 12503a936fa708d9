import { useState } from 'react'
import type { ReactNode } from 'react'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { ErrorBox, Link, Loading, ProcessLink, Section } from '../widgets/bits'
import { count } from '../widgets/format'
import { FileTable } from './small-tables'
import type { FileRow } from '../../src-main/common/model/types'

function byProcess(rows: readonly FileRow[]): { upid: number; name: string; pid: number; rows: FileRow[] }[] {
  const m = new Map<number, { upid: number; name: string; pid: number; rows: FileRow[] }>()
  for (const r of rows) {
    const g = m.get(r.upid) ?? { upid: r.upid, name: r.procName, pid: r.pid, rows: [] }
    g.rows.push(r)
    m.set(r.upid, g)
  }
  return [...m.values()].sort((a, b) => b.rows.length - a.rows.length)
}

export function FilesView(): ReactNode {
  const { status, window: win } = useApp()
  const q = useQuery('files', { window: win }, status.generation)
  const [group, setGroup] = useState<'path' | 'process' | 'all'>('path')
  const [onlySensitive, setOnlySensitive] = useState(false)
  if (q.error !== null) return <ErrorBox error={q.error} />
  const d = q.data
  if (d === null) return <Loading />
  const paths = onlySensitive ? d.byPath.filter((p) => p.sensitive !== null) : d.byPath
  const rows = onlySensitive ? d.rows.filter((r) => r.sensitive !== null) : d.rows
  const sensitiveCount = d.byPath.filter((p) => p.sensitive !== null).length
  return (
    <div>
      <div className="toolbar">
        <span role="radiogroup" aria-label="Group by">
          {(['path', 'process', 'all'] as const).map((g) => (
            <button
              key={g}
              type="button"
              className={group === g ? 'active' : ''}
              aria-pressed={group === g}
              onClick={() => {
                setGroup(g)
              }}
            >
              {g === 'path' ? 'By path' : g === 'process' ? 'By process' : 'Every access'}
            </button>
          ))}
        </span>
        <label>
          <input
            type="checkbox"
            checked={onlySensitive}
            onChange={(e) => {
              setOnlySensitive(e.target.checked)
            }}
          />{' '}
          only sensitive ({sensitiveCount})
        </label>
      </div>
      {group === 'path' ? (
        <Section title={`Files (${paths.length})`}>
          <table className="table">
            <thead>
              <tr>
                <th>Path</th>
                <th>Class</th>
                <th className="num">Reads</th>
                <th className="num">Writes</th>
                <th className="num">Processes</th>
              </tr>
            </thead>
            <tbody>
              {paths.map((p) => (
                <tr key={p.path} className={p.sensitive === null ? '' : 'sensitive'}>
                  <td className="path">
                    <Link
                      to={{ view: 'stream', name: p.path, pid: null, fd: null }}
                      title="follow the data read and written"
                    >
                      {p.path}
                    </Link>
                  </td>
                  <td>{p.sensitive === null ? null : <span className="tag">{p.sensitive}</span>}</td>
                  <td className="num">{count(p.reads)}</td>
                  <td className="num">{count(p.writes)}</td>
                  <td className="num">{p.upids.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
      {group === 'process'
        ? byProcess(rows).map((g) => (
            <Section
              key={g.upid}
              title={`${g.name} (${g.pid}) — ${g.rows.length}`}
              extra={<ProcessLink upid={g.upid} name="details" />}
            >
              <FileTable rows={g.rows} />
            </Section>
          ))
        : null}
      {group === 'all' ? (
        <Section title={`File activity (${rows.length})`}>
          <FileTable rows={rows} />
        </Section>
      ) : null}
      {d.truncated ? <div className="note">Only the first file events are shown.</div> : null}
    </div>
  )
}

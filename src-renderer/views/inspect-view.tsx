/** The Sysdig Inspect style drill-downs: interactive commands, failed syscalls, top I/O (links to streams). */
import type { ReactNode } from 'react'
import type { TopIoRow } from '../../src-main/common/model/drilldown'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { ErrorBox, Link, Loading, ProcessLink, Section } from '../widgets/bits'
import { bytes, count, rel } from '../widgets/format'

function TopTable(props: { rows: readonly TopIoRow[]; testId: string }): ReactNode {
  if (props.rows.length === 0) return <div className="muted">none</div>
  return (
    <table className="table" data-testid={props.testId}>
      <thead>
        <tr>
          <th>Name</th>
          <th className="num">Read</th>
          <th className="num">Written</th>
          <th className="num">Total</th>
          <th className="num">Processes</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.name}>
            <td className="path">
              <Link to={{ view: 'stream', name: r.name, pid: null, fd: null }} title="follow this stream">
                {r.name === '' ? '(unnamed)' : r.name}
              </Link>
              {r.proto === undefined ? null : <span className="tag">{r.proto}</span>}
            </td>
            <td className="num">{bytes(r.bytesRead)}</td>
            <td className="num">{bytes(r.bytesWritten)}</td>
            <td className="num">{bytes(r.bytes)}</td>
            <td className="num">{r.upids.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function InspectView(): ReactNode {
  const { status, base } = useApp()
  const cmds = useQuery('io.commands', {}, status.generation)
  const errs = useQuery('io.errors', {}, status.generation)
  const top = useQuery('io.top', { limit: 20 }, status.generation)
  return (
    <div className="grid inspect">
      <Section title={`Commands from interactive shells (${cmds.data?.length ?? 0})`}>
        {cmds.error !== null ? <ErrorBox error={cmds.error} /> : cmds.data === null ? <Loading /> : null}
        {cmds.data?.length === 0 ? <div className="muted">none</div> : null}
        {cmds.data === null || cmds.data.length === 0 ? null : (
          <table className="table" data-testid="commands">
            <thead>
              <tr>
                <th>Time</th>
                <th>User</th>
                <th>Login</th>
                <th>Container</th>
                <th>Shell</th>
                <th>Command</th>
              </tr>
            </thead>
            <tbody>
              {cmds.data.map((c) => (
                <tr key={c.upid}>
                  <td className="time">{rel(c.ts, base)}</td>
                  <td>{c.user}</td>
                  <td>{c.loginUser}</td>
                  <td>{c.container ?? 'host'}</td>
                  <td>
                    <ProcessLink upid={c.shellUpid} name="shell" pid={c.shellPid} />
                  </td>
                  <td className="path">
                    <Link to={{ view: 'process', upid: c.upid }}>{c.cmdline}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Failed syscalls by errno">
        {errs.error !== null ? <ErrorBox error={errs.error} /> : errs.data === null ? <Loading /> : null}
        {errs.data?.length === 0 ? <div className="muted">none</div> : null}
        {(errs.data ?? []).map((g) => (
          <details key={g.errno} className="alert-group">
            <summary>
              <span className="group-name">{g.errno}</span> <span className="muted">({count(g.count)})</span>
            </summary>
            <div className="two-col">
              <ul>
                {g.byProcess.map((p) => (
                  <li key={`${String(p.upid)}-${p.pid}`}>
                    <ProcessLink upid={p.upid} name={p.name} pid={p.pid} />{' '}
                    <span className="muted">{count(p.count)}</span>
                  </li>
                ))}
              </ul>
              <ul>
                {g.byPath.map((p) => (
                  <li key={p.path} className="path">
                    {p.path} <span className="muted">{count(p.count)}</span>
                  </li>
                ))}
              </ul>
            </div>
          </details>
        ))}
      </Section>
      <Section title="Top files by errors">
        {top.data?.filesByErrors.length === 0 ? <div className="muted">none</div> : null}
        <table className="table" data-testid="top-files-errors">
          <thead>
            <tr>
              <th>File</th>
              <th className="num">Failed calls</th>
            </tr>
          </thead>
          <tbody>
            {(top.data?.filesByErrors ?? []).map((r) => (
              <tr key={r.path}>
                <td className="path">
                  {/* a path the filter language cannot quote plainly is shown without the link */}
                  {/["\\]/.test(r.path) ? (
                    r.path
                  ) : (
                    <Link
                      to={{
                        view: 'events',
                        filter: `fd.name="${r.path}" and evt.failed=true`,
                        upid: null,
                        num: null
                      }}
                    >
                      {r.path}
                    </Link>
                  )}
                </td>
                <td className="num">{count(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Top files by bytes">
        {top.error !== null ? <ErrorBox error={top.error} /> : top.data === null ? <Loading /> : null}
        <TopTable rows={top.data?.files ?? []} testId="top-files" />
      </Section>
      <Section title="Top connections by bytes">
        <TopTable rows={top.data?.connections ?? []} testId="top-connections" />
      </Section>
    </div>
  )
}

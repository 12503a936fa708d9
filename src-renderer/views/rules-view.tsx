import { useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import type { RulesState } from '../../src-main/common/model/types'
import { client } from '../api/client'
import { useApp } from '../app/app-state'
import { ErrorBox, Loading, PriorityBadge, Section } from '../widgets/bits'
import { useAction } from '../widgets/use-action'

export function RulesView(): ReactNode {
  const { status } = useApp()
  const [state, setState] = useState<RulesState | null>(null)
  const { busy, error, setError, run } = useAction()
  const [filter, setFilter] = useState('')
  useEffect(() => {
    client.call('rules.list', {}).then(setState, (e: unknown) => {
      setError(String(e))
    })
  }, [status.generation, setError])
  const act = (p: Promise<RulesState>): void => {
    run(p, setState)
  }
  if (state === null) return error === null ? <Loading /> : <ErrorBox error={error} />
  const rules = state.rules.filter(
    (r) => filter === '' || r.name.toLowerCase().includes(filter.toLowerCase())
  )
  return (
    <div className="grid rules">
      <Section title="Rule files">
        <table className="table">
          <tbody>
            {state.files.map((f) => (
              <tr key={f.path}>
                <td className="path">{f.path}</td>
                <td className="num">{f.rules} rules</td>
                <td>
                  <code className="muted" title={f.sha256}>
                    {f.sha256.slice(0, 12)}
                  </code>
                </td>
                <td>
                  {f.custom ? (
                    <button
                      type="button"
                      aria-label={`remove ${f.path}`}
                      disabled={busy}
                      onClick={() => {
                        act(client.call('rules.removeFile', { path: f.path }))
                      }}
                    >
                      Remove
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="toolbar">
          <label className="button">
            Load rules file…
            <input
              type="file"
              accept=".yaml,.yml"
              className="hidden-file"
              onChange={(e) => {
                const f = e.target.files?.[0]
                if (f === undefined) return
                act(f.text().then((text) => client.call('rules.loadText', { name: f.name, text })))
                e.target.value = ''
              }}
            />
          </label>
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              act(client.call('rules.run', {}))
            }}
          >
            Run again
          </button>
          {state.lastRun === null ? null : (
            <span className="muted">
              last run: {state.lastRun.alerts} alerts in {state.lastRun.durationMs} ms
            </span>
          )}
          {busy ? <span className="muted">working…</span> : null}
        </div>
        {error === null ? null : <ErrorBox error={error} />}
      </Section>
      <Section title={`Problems (${state.problems.length})`}>
        {state.problems.length === 0 ? (
          <div className="muted">The rules loaded without errors or warnings.</div>
        ) : null}
        <ul className="problems">
          {state.problems.map((p, i) => (
            <li key={i} className={`sev-${p.severity}`}>
              <code>
                {p.file}:{p.line}:{p.column}
              </code>{' '}
              <span className="tag">{p.severity}</span> {p.message}
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title={`Rules (${state.rules.filter((r) => r.enabled).length} of ${state.rules.length} enabled)`}
      >
        <input
          className="rule-filter"
          placeholder="Find a rule"
          aria-label="Find a rule"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value)
          }}
        />
        <table className="table">
          <thead>
            <tr>
              <th>On</th>
              <th>Rule</th>
              <th>Priority</th>
              <th>File</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.name} className={r.enabled ? '' : 'disabled'}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`enable ${r.name}`}
                    checked={r.enabled}
                    disabled={busy}
                    onChange={(e) => {
                      act(client.call('rules.setEnabled', { name: r.name, enabled: e.target.checked }))
                    }}
                  />
                </td>
                <td className="rule">{r.name}</td>
                <td>
                  <PriorityBadge priority={r.priority} />
                </td>
                <td className="path">{r.file}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  )
}

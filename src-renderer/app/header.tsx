import { useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { client } from '../api/client'
import { REPORT_FORMATS } from '../../src-main/common/ipc-contract'
import type { ReportFormatName } from '../../src-main/common/ipc-contract'
import { downloadReport, FORMAT_LABEL } from '../api/download-report'
import { useApp } from './app-state'
import { count, duration, rel } from '../widgets/format'
import { href } from './route'

function Progress(): ReactNode {
  const { status } = useApp()
  const p = status.progress
  if (status.phase !== 'indexing') return null
  const share = p !== null && p.bytesTotal > 0 ? p.bytesRead / p.bytesTotal : null
  return (
    <div className="progress" role="status">
      <progress max={1} value={share ?? undefined} />
      <span>
        {p === null ? 'starting…' : `${count(p.events)} events · ${count(Math.round(p.eventsPerSec))} ev/s`}
        {p?.etaSec === null || p?.etaSec === undefined ? '' : ` · ${p.etaSec.toFixed(0)} s left`}
      </span>
      <button
        type="button"
        onClick={() => {
          void client.call('capture.cancel', {})
        }}
      >
        Cancel
      </button>
    </div>
  )
}

function Search(): ReactNode {
  const [text, setText] = useState('')
  const [hits, setHits] = useState<{ kind: string; upid: number | null; text: string }[] | null>(null)
  const run = (): void => {
    if (text.trim() === '') {
      setHits(null)
      return
    }
    client.call('search', { text, limit: 20 }).then(setHits, () => {
      setHits([])
    })
  }
  return (
    <div className="search">
      <input
        type="search"
        placeholder="Search command lines and paths"
        aria-label="Search"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') run()
          if (e.key === 'Escape') setHits(null)
        }}
      />
      {hits === null ? null : (
        <ul className="search-hits">
          {hits.length === 0 ? <li className="muted">no match</li> : null}
          {hits.map((h, i) => (
            <li key={i}>
              <a
                href={h.upid === null ? href({ view: 'files' }) : href({ view: 'process', upid: h.upid })}
                onClick={() => {
                  setHits(null)
                }}
              >
                <span className="muted">{h.kind}</span> {h.text}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Downloads the incident report of the open capture in one of the report formats. */
function ExportReport(): ReactNode {
  const [error, setError] = useState<string | null>(null)
  const menu = useRef<HTMLDetailsElement>(null)
  const save = (format: ReportFormatName): void => {
    downloadReport(format).then(
      () => {
        setError(null)
        if (menu.current !== null) menu.current.open = false
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e))
      }
    )
  }
  return (
    <details className="columns report-menu" ref={menu}>
      <summary title="Export the incident report">Report</summary>
      <div className="column-menu">
        {REPORT_FORMATS.map((f) => (
          <button
            key={f}
            type="button"
            data-testid={`export-${f}`}
            onClick={() => {
              save(f)
            }}
          >
            {FORMAT_LABEL[f]}
          </button>
        ))}
        <a href="#/report" data-testid="report-notes-link">
          Title and notes…
        </a>
        {error === null ? null : <span className="error-inline">{error}</span>}
      </div>
    </details>
  )
}

export function Header(props: { theme: string; toggleTheme: () => void }): ReactNode {
  const { status, window: win, setWindow, base } = useApp()
  const name = status.path === null ? 'no capture' : (status.path.split(/[\\/]/).pop() ?? status.path)
  return (
    <header className="header">
      <span className="logo">Peregrine</span>
      <span className="capture" title={status.path ?? ''}>
        {name}
      </span>
      <Progress />
      {status.phase === 'failed' ? <span className="error-inline">{status.error}</span> : null}
      {win === null ? null : (
        <span className="window-chip" data-testid="window-chip" data-from={win.from} data-to={win.to}>
          Window {rel(win.from, base)} – {rel(win.to, base)} (
          {duration(Number(BigInt(win.to) - BigInt(win.from)))})
          <button
            type="button"
            aria-label="Clear the time window"
            onClick={() => {
              setWindow(null)
            }}
          >
            ✕
          </button>
        </span>
      )}
      <span className="spacer" />
      {status.phase === 'ready' ? <Search /> : null}
      {status.phase === 'ready' ? <ExportReport /> : null}
      <button type="button" className="theme" onClick={props.toggleTheme} title="Toggle theme (t)">
        {props.theme === 'dark' ? 'Light' : 'Dark'}
      </button>
    </header>
  )
}

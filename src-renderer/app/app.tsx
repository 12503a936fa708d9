/** The shell: header with capture status and indexing progress, navigation, the current view. */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import type { CaptureStatus, TimeWindow } from '../../src-main/common/model/types'
import { client, isDesktop } from '../api/client'
import { AppContext } from './app-state'
import type { AppState } from './app-state'
import { Header } from './header'
import { NAV, parseHash } from './route'
import type { Route } from './route'
import { OverviewView } from '../views/overview-view'
import { TimelineView } from '../views/timeline-view'
import { ProcessTreeView } from '../views/process-tree-view'
import { ProcessDetailView } from '../views/process-detail-view'
import { NetworkView } from '../views/network-view'
import { FilesView } from '../views/files-view'
import { AlertsView } from '../views/alerts-view'
import { EventsView } from '../views/events-view'
import { RulesView } from '../views/rules-view'
import { InspectView } from '../views/inspect-view'
import { StreamView } from '../views/stream-view'
import { ReportView } from '../views/report-view'

const EMPTY: CaptureStatus = { phase: 'none', path: null, progress: null, error: null, generation: 0 }

function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash))
  useEffect(() => {
    const on = (): void => {
      setRoute(parseHash(window.location.hash))
    }
    window.addEventListener('hashchange', on)
    return () => {
      window.removeEventListener('hashchange', on)
    }
  }, [])
  return route
}

function useStatus(): CaptureStatus {
  const [status, setStatus] = useState<CaptureStatus>(EMPTY)
  useEffect(() => {
    let live = true
    let timer = 0
    const poll = (): void => {
      client.call('capture.status', {}).then(
        (s) => {
          if (!live) return
          setStatus((old) => (JSON.stringify(old) === JSON.stringify(s) ? old : s))
          timer = window.setTimeout(poll, s.phase === 'indexing' ? 300 : 2000)
        },
        () => {
          if (live) timer = window.setTimeout(poll, 2000)
        }
      )
    }
    poll()
    return () => {
      live = false
      window.clearTimeout(timer)
    }
  }, [])
  return status
}

function useTheme(): [string, () => void] {
  const [theme, setTheme] = useState<string>(() => {
    const saved = window.localStorage.getItem('peregrine-theme')
    if (saved === 'dark' || saved === 'light') return saved
    return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
  })
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme
    window.localStorage.setItem('peregrine-theme', theme)
  }, [theme])
  return [
    theme,
    () => {
      setTheme((t) => (t === 'dark' ? 'light' : 'dark'))
    }
  ]
}

function View(props: { route: Route }): ReactNode {
  const r = props.route
  switch (r.view) {
    case 'overview':
      return <OverviewView />
    case 'timeline':
      return <TimelineView />
    case 'tree':
      return <ProcessTreeView focus={r.focus} />
    case 'process':
      return <ProcessDetailView upid={r.upid} />
    case 'network':
      return <NetworkView />
    case 'files':
      return <FilesView />
    case 'alerts':
      return <AlertsView id={r.id} />
    case 'events':
      return <EventsView filter={r.filter} upid={r.upid} num={r.num} />
    case 'rules':
      return <RulesView />
    case 'inspect':
      return <InspectView />
    case 'stream':
      return <StreamView name={r.name} pid={r.pid} fd={r.fd} />
    case 'report':
      return <ReportView />
  }
}

function isTyping(t: EventTarget | null): boolean {
  return (
    t instanceof HTMLElement &&
    (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  )
}

export function App(): ReactNode {
  const route = useRoute()
  const status = useStatus()
  const [theme, toggleTheme] = useTheme()
  const [win, setWin] = useState<TimeWindow | null>(null)
  const [base, setBase] = useState<string | null>(null)
  const [dropNote, setDropNote] = useState<string | null>(null)

  useEffect(() => {
    if (status.phase !== 'ready') return
    let live = true
    client.call('overview', {}).then(
      (o) => {
        if (live) setBase(o.start)
      },
      () => undefined
    )
    return () => {
      live = false
    }
  }, [status.phase, status.path])

  // a new capture starts with no window
  const [winPath, setWinPath] = useState(status.path)
  if (winPath !== status.path) {
    setWinPath(status.path)
    setWin(null)
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return
      const n = Number(e.key)
      const nav = Number.isInteger(n) && n >= 1 ? NAV[n - 1] : undefined
      if (nav !== undefined) {
        window.location.hash = nav.href
        e.preventDefault()
      } else if (e.key === 't') toggleTheme()
      else if (e.key === '/') {
        const f = document.querySelector<HTMLInputElement>('[data-focus-key="/"]')
        if (f !== null) {
          e.preventDefault()
          f.focus()
        }
      } else if (e.key === 'Escape') setWin(null)
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
    }
  }, [toggleTheme])

  const onDrop = useCallback((e: React.DragEvent) => {
    e.preventDefault()
    const f = e.dataTransfer.files[0]
    if (f === undefined) return
    if (!/\.scap(\.gz)?$/i.test(f.name)) {
      setDropNote('Only .scap and .scap.gz captures can be opened.')
      return
    }
    const pathOf = window.peregrine?.pathForFile
    if (!isDesktop() || pathOf === undefined) {
      setDropNote('Opening a dropped file needs the desktop app; in the browser run `peregrine serve FILE`.')
      return
    }
    setDropNote(null)
    void client.call('capture.open', { path: pathOf(f) })
  }, [])

  const state: AppState = useMemo(
    () => ({ status, window: win, setWindow: setWin, base }),
    [status, win, base]
  )
  const active = route.view === 'process' ? 'tree' : route.view === 'stream' ? 'inspect' : route.view
  return (
    <AppContext.Provider value={state}>
      <div
        className="app"
        onDragOver={(e) => {
          e.preventDefault()
        }}
        onDrop={onDrop}
      >
        <Header theme={theme} toggleTheme={toggleTheme} />
        <nav className="tabs" aria-label="Views">
          {NAV.map((n, i) => (
            <a
              key={n.view}
              href={n.href}
              className={n.view === active ? 'tab active' : 'tab'}
              aria-current={n.view === active ? 'page' : undefined}
              title={`${n.label} (key ${i + 1})`}
            >
              {n.label}
            </a>
          ))}
        </nav>
        {dropNote === null ? null : <div className="note">{dropNote}</div>}
        <main className="view" data-view={route.view}>
          {status.phase === 'ready' ? (
            <View route={route} />
          ) : (
            <div className="placeholder">
              {status.phase === 'none' ? 'No capture open. Drop a .scap file here or use File → Open.' : null}
              {status.phase === 'indexing' ? 'Indexing the capture…' : null}
              {status.phase === 'failed' ? `Indexing failed: ${status.error ?? ''}` : null}
              {status.phase === 'cancelled' ? 'Indexing was cancelled.' : null}
            </div>
          )}
        </main>
      </div>
    </AppContext.Provider>
  )
}

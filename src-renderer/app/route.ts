/** Views are addressed by the URL hash so that every link is a plain href and Back works. */
export type Route =
  | { view: 'overview' }
  | { view: 'timeline' }
  | { view: 'tree'; focus: number | null }
  | { view: 'process'; upid: number }
  | { view: 'network' }
  | { view: 'files' }
  | { view: 'alerts'; id: number | null }
  | { view: 'events'; filter: string; upid: number | null; num: number | null }
  | { view: 'rules' }
  | { view: 'inspect' }
  | { view: 'report' }
  | { view: 'stream'; name: string | null; pid: number | null; fd: number | null }

export const NAV: { view: Route['view']; label: string; href: string }[] = [
  { view: 'overview', label: 'Overview', href: '#/overview' },
  { view: 'timeline', label: 'Timeline', href: '#/timeline' },
  { view: 'tree', label: 'Process tree', href: '#/tree' },
  { view: 'network', label: 'Network', href: '#/network' },
  { view: 'files', label: 'Files', href: '#/files' },
  { view: 'alerts', label: 'Alerts', href: '#/alerts' },
  { view: 'events', label: 'Events', href: '#/events' },
  { view: 'rules', label: 'Rules', href: '#/rules' },
  { view: 'inspect', label: 'Inspect', href: '#/inspect' },
  { view: 'report', label: 'Report', href: '#/report' }
]

function int(s: string | null | undefined): number | null {
  if (s === null || s === undefined || !/^\d{1,15}$/.test(s)) return null
  return Number(s)
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '')
  const q = h.indexOf('?')
  const path = (q < 0 ? h : h.slice(0, q)).split('/')
  const params = new URLSearchParams(q < 0 ? '' : h.slice(q + 1))
  switch (path[0]) {
    case 'timeline':
      return { view: 'timeline' }
    case 'tree':
      return { view: 'tree', focus: int(path[1]) }
    case 'process': {
      const upid = int(path[1])
      return upid === null ? { view: 'tree', focus: null } : { view: 'process', upid }
    }
    case 'network':
      return { view: 'network' }
    case 'files':
      return { view: 'files' }
    case 'alerts':
      return { view: 'alerts', id: int(path[1]) }
    case 'events':
      return {
        view: 'events',
        filter: params.get('filter') ?? '',
        upid: int(params.get('upid')),
        num: int(params.get('num'))
      }
    case 'rules':
      return { view: 'rules' }
    case 'inspect':
      return { view: 'inspect' }
    case 'report':
      return { view: 'report' }
    case 'stream':
      return {
        view: 'stream',
        name: params.get('name'),
        pid: int(params.get('pid')),
        fd: int(params.get('fd'))
      }
    default:
      return { view: 'overview' }
  }
}

export function href(r: Route): string {
  switch (r.view) {
    case 'tree':
      return r.focus === null ? '#/tree' : `#/tree/${r.focus}`
    case 'process':
      return `#/process/${r.upid}`
    case 'alerts':
      return r.id === null ? '#/alerts' : `#/alerts/${r.id}`
    case 'events': {
      const p = new URLSearchParams()
      if (r.filter !== '') p.set('filter', r.filter)
      if (r.upid !== null) p.set('upid', String(r.upid))
      if (r.num !== null) p.set('num', String(r.num))
      const s = p.toString()
      return s === '' ? '#/events' : `#/events?${s}`
    }
    case 'stream': {
      const p = new URLSearchParams()
      if (r.name !== null) p.set('name', r.name)
      if (r.pid !== null) p.set('pid', String(r.pid))
      if (r.fd !== null) p.set('fd', String(r.fd))
      return `#/stream?${p.toString()}`
    }
    default:
      return `#/${r.view}`
  }
}

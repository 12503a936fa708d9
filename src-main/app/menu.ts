/** The application menu as a template built from callbacks (so it can be checked without Electron). */
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  open: () => void
  openRecent: (path: string) => void
  loadRules: () => void
  exportReport: (() => void) | null
  record: (() => void) | null
  recent: readonly string[]
}

export function menuTemplate(a: MenuActions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions[] = [
    { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: a.open },
    {
      label: 'Open Recent',
      enabled: a.recent.length > 0,
      submenu: a.recent.map((p) => ({
        label: p,
        click: () => {
          a.openRecent(p)
        }
      }))
    },
    { type: 'separator' },
    { label: 'Load Rules…', click: a.loadRules },
    {
      label: 'Export Report…',
      accelerator: 'CmdOrCtrl+E',
      enabled: a.exportReport !== null,
      click: a.exportReport ?? undefined
    }
  ]
  if (a.record !== null) file.push({ type: 'separator' }, { label: 'Record…', click: a.record })
  file.push({ type: 'separator' }, { role: 'quit' })
  return [
    { label: 'File', submenu: file },
    { label: 'Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    }
  ]
}

/**
 * The window's security policy, kept apart from the wiring so tests can check it: the renderer shows
 * attacker-controlled strings from captures, so it gets no Node, no navigation, no new windows, no
 * permissions, and only https links on an allow list open outside.
 */
import type { WebContents, WebPreferences } from 'electron'

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false
  }
}

/** Hosts whose https pages may open in the user's browser (documentation links). */
export const EXTERNAL_ALLOW = ['falco.org', 'github.com', 'attack.mitre.org'] as const

export function allowExternal(url: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '') return false
  return EXTERNAL_ALLOW.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`))
}

/** Applies the navigation and window policy to one web contents. */
export function harden(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (e, url) => {
    e.preventDefault()
    if (allowExternal(url)) openExternal(url)
  })
  contents.on('will-redirect', (e) => {
    e.preventDefault()
  })
  contents.on('will-attach-webview', (e) => {
    e.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (allowExternal(url)) openExternal(url)
    return { action: 'deny' }
  })
  contents.session.setPermissionRequestHandler((_wc, _perm, done) => {
    done(false)
  })
}

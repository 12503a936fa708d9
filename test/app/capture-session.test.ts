// The capture session behind both hosts: indexing phases, progress, cancel, failure, and the generation
// counter views use to refetch after a rules change.
import { describe, expect, it } from 'vitest'
import { CaptureSession } from '../../src-main/engine/server/capture-session'
import type { IndexOpener, QueryBackend } from '../../src-main/engine/server/capture-session'
import type { IndexProgress } from '../../src-main/common/model/types'
import { fixtureBackend } from './fixture-backend'

/** An opener the test drives by hand: report progress, then finish or fail. */
function manualOpener(): {
  opener: IndexOpener
  progress: (p: IndexProgress) => void
  finish: () => void
  failWith: (m: string) => void
  aborted: () => boolean
} {
  let report: (p: IndexProgress) => void = () => undefined
  let done: (b: QueryBackend) => void = () => undefined
  let fail: (e: Error) => void = () => undefined
  let signal: AbortSignal | null = null
  return {
    opener: (_path, onProgress, s) => {
      report = onProgress
      signal = s
      return new Promise((ok, ko) => {
        done = ok
        fail = ko
        s.addEventListener('abort', () => {
          ko(new Error('indexing cancelled'))
        })
      })
    },
    progress: (p) => {
      report(p)
    },
    finish: () => {
      done(fixtureBackend())
    },
    failWith: (m) => {
      fail(new Error(m))
    },
    aborted: () => signal?.aborted === true
  }
}

const P: IndexProgress = { bytesRead: 50, bytesTotal: 100, events: 1000, eventsPerSec: 2000, etaSec: 0.5 }

describe('CaptureSession', () => {
  it('goes none → indexing (with progress) → ready, and answers queries only when ready', async () => {
    const m = manualOpener()
    const s = new CaptureSession(m.opener, true)
    expect(s.status().phase).toBe('none')
    await expect(s.api.overview({})).rejects.toThrow(/not ready \(none\)/)
    s.open('/x/a.scap')
    expect(s.status()).toMatchObject({ phase: 'indexing', path: '/x/a.scap', progress: null })
    m.progress(P)
    expect(s.status().progress).toEqual(P)
    await expect(s.api.overview({})).rejects.toThrow(/not ready \(indexing\)/)
    m.finish()
    await s.ready
    expect(s.status().phase).toBe('ready')
    expect((await s.api.overview({})).events).toBe(1000)
  })

  it('cancel aborts the indexing and says so', async () => {
    const m = manualOpener()
    const s = new CaptureSession(m.opener, true)
    s.open('/x/a.scap')
    await s.api['capture.cancel']({})
    expect(m.aborted()).toBe(true)
    await s.ready
    expect(s.status()).toMatchObject({ phase: 'cancelled', error: null })
  })

  it('a failed index reports the error', async () => {
    const m = manualOpener()
    const s = new CaptureSession(m.opener, true)
    s.open('/x/a.scap')
    m.failWith('truncated block at offset 123')
    await s.ready
    expect(s.status()).toMatchObject({ phase: 'failed', error: 'truncated block at offset 123' })
  })

  it('opening another capture replaces the first; late results of the first are dropped', async () => {
    const a = manualOpener()
    const b = manualOpener()
    let which = 0
    const s = new CaptureSession((...args) => (which++ === 0 ? a.opener(...args) : b.opener(...args)), true)
    s.open('/x/a.scap')
    await s.api['capture.open']({ path: '/x/b.scap.gz' })
    expect(a.aborted()).toBe(true)
    b.progress(P)
    b.finish()
    await s.ready
    expect(s.status()).toMatchObject({ phase: 'ready', path: '/x/b.scap.gz' })
  })

  it('the browser server cannot open files; Electron only opens captures', async () => {
    const m = manualOpener()
    await expect(
      new CaptureSession(m.opener, false).api['capture.open']({ path: '/x/a.scap' })
    ).rejects.toThrow(/serves one capture/)
    await expect(
      new CaptureSession(m.opener, true).api['capture.open']({ path: '/etc/shadow' })
    ).rejects.toThrow(/not a .scap/)
  })

  it('rules writes bump the generation so views refetch', async () => {
    const m = manualOpener()
    const s = new CaptureSession(m.opener, true)
    s.open('/x/a.scap')
    m.finish()
    await s.ready
    const g = s.status().generation
    await s.api['rules.setEnabled']({ name: 'r', enabled: false })
    await s.api['rules.run']({})
    expect(s.status().generation).toBe(g + 2)
  })
})

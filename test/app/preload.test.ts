// The preload bridge: exactly one object, and it unwraps replies (errors become exceptions).
import { describe, expect, it, vi } from 'vitest'

const rec = vi.hoisted(() => ({ exposed: new Map<string, unknown>(), invoked: [] as [string, unknown][] }))
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (k: string, v: unknown) => rec.exposed.set(k, v) },
  ipcRenderer: {
    invoke: (ch: string, args: unknown) => {
      rec.invoked.push([ch, args])
      return Promise.resolve(
        ch.endsWith('overview')
          ? { ok: false, error: 'not ready', code: 'engine' }
          : { ok: true, result: { phase: 'none' } }
      )
    }
  },
  webUtils: { getPathForFile: () => '/tmp/x.scap' }
}))

interface Bridge {
  call: (name: string, args: unknown) => Promise<unknown>
  pathForFile: (f: unknown) => string
}

describe('preload', () => {
  it('exposes one object, window.peregrine, that calls the contract channels', async () => {
    await import('../../src-main/preload/index')
    expect([...rec.exposed.keys()]).toEqual(['peregrine'])
    const b = rec.exposed.get('peregrine') as Bridge
    expect(await b.call('capture.status', {})).toEqual({ phase: 'none' })
    await expect(b.call('overview', {})).rejects.toThrow('not ready')
    await expect(b.call('fs.readFile', {})).rejects.toThrow(/unknown channel/)
    expect(rec.invoked.map((i) => i[0])).toEqual(['peregrine:capture.status', 'peregrine:overview'])
    expect(b.pathForFile({})).toBe('/tmp/x.scap')
  })
})

/**
 * Paths and buffers with invalid UTF-8 (a 0xff byte, a truncated sequence) come out of `peregrine events`
 * byte for byte as sysdig 0.29.3 prints them: sanitised where sysdig sanitises (argument text, fd names,
 * evt.buffer) and raw where it does not (evt.rawarg). Needs sysdig and the built CLI.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bytes, fd, u32 } from '../fixtures/scap-writer'
import { tick } from '../state/events'
import { base } from '../state/harness'

const ROOT = resolve(__dirname, '../..')
const CLI = resolve(ROOT, 'bin/peregrine.js')
const BUILT = resolve(ROOT, 'out/engine/engine/cli/cmd-events.js')
const SYSDIG = '/usr/bin/sysdig'
const skip = !existsSync(SYSDIG) || !existsSync(BUILT)

const dir = mkdtempSync(join(tmpdir(), 'pg-raw-bytes-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function capture(): string {
  const w = base([
    { tid: 1, pid: 1, ptid: 0, comm: 'systemd', cwd: '/' },
    { tid: 100, pid: 100, ptid: 1, comm: 'app', cwd: '/srv/' }
  ])
  const bad = Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82])
  const name = Buffer.concat([Buffer.from('/tmp/a'), bad, Buffer.from('é\0')])
  w.ev(2, { tid: 100, ts: tick(), params: [name, u32(1), u32(0)] })
  w.ev(3, { tid: 100, ts: tick(), params: [fd(5), name, u32(1), u32(0), u32(7)] })
  w.ev(6, { tid: 100, ts: tick(), params: [fd(5), u32(16)] })
  w.ev(7, { tid: 100, ts: tick(), params: [fd(4), bytes(Buffer.from([0x41, 0xff, 0xfe, 0xc3, 0xa9, 0x0a]))] })
  const file = join(dir, 'raw.scap')
  writeFileSync(file, w.toBuffer())
  return file
}

const FORMATS: (string | undefined)[] = [
  undefined,
  '*%evt.num %fd.name %fd.filename',
  '*%evt.rawarg.name',
  '*%evt.buffer',
  '*%evt.arg.data %evt.rawarg.data'
]

describe.skipIf(skip)('raw bytes in output (compiled CLI vs sysdig)', () => {
  const file = capture()
  for (const f of FORMATS) {
    it(`-p ${f ?? '(default)'} prints the same bytes`, () => {
      const extra = f === undefined ? [] : ['-p', f]
      const env = { ...process.env, TZ: 'UTC' }
      const ours = spawnSync(process.execPath, [CLI, 'events', file, ...extra], { env })
      const theirs = spawnSync(SYSDIG, ['-r', file, ...extra], { env })
      expect(ours.status).toBe(0)
      expect(theirs.stdout.length).toBeGreaterThan(0)
      expect(ours.stdout.toString('latin1')).toBe(theirs.stdout.toString('latin1'))
    })
  }
  it('keeps the invalid bytes raw in evt.rawarg (not U+FFFD)', () => {
    const r = spawnSync(process.execPath, [CLI, 'events', file, '-p', '*%evt.rawarg.name'])
    expect(r.stdout.includes(Buffer.from([0x61, 0xff, 0xc3, 0x28]))).toBe(true)
    expect(r.stdout.includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false)
  })
})

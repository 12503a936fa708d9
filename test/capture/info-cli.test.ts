// `peregrine info`: output content and exit codes, on corpus files and writer-made captures.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test, vi } from 'vitest'
import { run } from '../../src-main/engine/cli/cmd-info'
import { containerIdFromCgroups } from '../../src-main/engine/capture/container-id'
import { ScapWriter, fd, i64, u32 } from '../fixtures/scap-writer'

const FILES = resolve(__dirname, '../../../shared/corpus/files')
const T0 = 1_700_000_000_123_456_789n

/** Runs the command, capturing what it writes to stdout and stderr. */
async function info(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s)
    return true
  })
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s)
    return true
  })
  try {
    const code = await run(args)
    return { code, out, err }
  } finally {
    o.mockRestore()
    e.mockRestore()
  }
}

function tmpFile(name: string, data: Buffer): string {
  const f = join(mkdtempSync(join(tmpdir(), 'pg-info-')), name)
  writeFileSync(f, data)
  return f
}

describe('peregrine info on corpus captures', () => {
  test('Kubernetes capture: format, machine, exact time range, counts, containers', async () => {
    const r = await info(join(FILES, 'bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap'))
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^format\s+scap 1\.0, 1 section$/m)
    expect(r.out).toMatch(/gzip, 13\.1 MiB uncompressed/)
    expect(r.out).toMatch(/^machine\s+host ubuntu-xenial, 2 cpus/m)
    expect(r.out).toContain('2016-12-08T15:41:38.271980141Z .. 2016-12-08T15:41:51.391198460Z')
    expect(r.out).toMatch(/^events\s+146038$/m)
    expect(r.out).toMatch(/^\s+switch >\s+37037$/m)
    for (const c of ['53fe249c71de', 'de7157ba23c4', '4b44ae6e7bb7', '9e202e5f273e'])
      expect(r.out).toContain(c)
    expect(r.out).toMatch(/^anomalies\s+none$/m)
    expect(r.out).toMatch(/^status\s+read fully$/m)
  })

  test('--json: machine-readable, ns timestamps as exact strings', async () => {
    const r = await info(
      '--json',
      join(FILES, 'xxradar__stratoshark-http-https/traces__docker-curl-https.scap')
    )
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out) as Record<string, unknown>
    expect(j).toMatchObject({ events: 3557, formatVersion: '1.2', complete: true, error: null })
    expect(j.timeRange).toMatchObject({
      first: { ns: '1737619795965636600', utc: '2025-01-23T08:09:55.965636600Z' },
      last: { ns: '1737619808003501286', utc: '2025-01-23T08:10:08.003501286Z' }
    })
    expect(j.containers).toContain('25c8ce27e4e3')
    expect((j.eventsByType as Record<string, number>)['procinfo >']).toBe(1053)
  })

  test('Wireshark-edited capture: read fully, options reported as info anomalies', async () => {
    const f = 'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google_comments.scap'
    const r = await info(join(FILES, f))
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^events\s+1536$/m)
    expect(r.out).toMatch(/info event-block-options ×3/)
  })

  test('pcapng network capture: exit 2 with a clear message', async () => {
    const r = await info(join(FILES, 'bennythejudge__toolbox/output.scap'))
    expect(r.code).toBe(2)
    expect(r.err).toContain('not a syscall capture (pcapng network capture: ')
    expect(r.out).toBe('')
  })
})

describe('peregrine info exit codes and damaged files', () => {
  test.each([
    [['/nonexistent/file.scap'], 2, /ENOENT/],
    [[], 2, /usage/],
    [['a', 'b'], 2, /usage/],
    [['--bogus', 'x'], 2, /unknown option/]
  ])('%j → exit %i', async (args, code, msg) => {
    const r = await info(...args)
    expect(r.code).toBe(code)
    expect(r.err).toMatch(msg)
  })

  test('a text file is not a capture: exit 2', async () => {
    const r = await info(tmpFile('x.scap', Buffer.from('not a capture at all\n')))
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/not-a-capture/)
  })

  test('truncated capture: what was read is printed, then the error with byte offset and block; exit 1', async () => {
    const w = new ScapWriter().shb().mi({ hostname: 'cut' })
    w.ev(4, { tid: 7, ts: T0, params: [fd(3)] }).ev(5, { tid: 7, ts: T0 + 1n, params: [i64(0)] })
    const lastAt = w.length
    w.ev(4, { tid: 7, ts: T0 + 2n, params: [fd(4)] })
    const r = await info(tmpFile('cut.scap', w.toBuffer().subarray(0, w.length - 3)))
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^events\s+2$/m)
    expect(r.out).toMatch(/host cut/)
    expect(r.err).toContain(`at byte offset ${lastAt} (block EV_V2)`)
    expect(r.err).toMatch(/truncated/)
  })

  test('drops, sections, anomalies and exact ns time range of a synthetic capture', async () => {
    const w = new ScapWriter()
      .shb()
      .procs([{ tid: 10, pid: 10, cgroups: ['cpuset=/docker/' + 'c0ffee'.repeat(10) + 'abcd'] }])
    w.ev(148, { tid: 10, ts: T0, params: [u32(2)] }).ev(149, { tid: 10, ts: T0 + 5n, params: [u32(2)] })
    w.block(0x300, Buffer.alloc(4))
    w.shb()
      .ev(999, { tid: 11, ts: T0 + 6n, params: [] })
      .ev(4, { tid: 11, ts: T0 + 7n, params: [fd(1)] })
    const r = await info(tmpFile('s.scap', w.toBuffer()))
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^format\s+scap 1\.2, 2 sections$/m)
    expect(r.out).toContain('2023-11-14T22:13:20.123456789Z .. 2023-11-14T22:13:20.123456796Z')
    expect(r.out).toMatch(/^drops\s+1 drop enter \(DROP_E\), 1 drop exit \(DROP_X\)/m)
    expect(r.out).toMatch(/data-loss unknown-event-type ×1/)
    expect(r.out).toMatch(/info unknown-block ×1/)
    expect(r.out).toMatch(/^containers\s+1: c0ffeec0ffee$/m)
    expect(r.out).toMatch(/^processes\s+1 \(threads 2; 1 in the initial process list\)$/m)
  })

  test('README documents the command', () => {
    expect(readFileSync(resolve(__dirname, '../../README.md'), 'utf8')).toContain('peregrine info FILE')
  })
})

describe('container id from cgroups (spec §6.3)', () => {
  const id = 'ab12'.repeat(16)
  test.each([
    [['cpuset=/docker/' + id], id.slice(0, 12)],
    [['cpu=/system.slice/docker-' + id + '.scope'], id.slice(0, 12)],
    [['cpu=/kubepods/besteffort/pod1/crio-' + id], id.slice(0, 12)],
    [['cpu=/kubepods.slice/cri-containerd-' + id + '.scope'], id.slice(0, 12)],
    [['cpu=/system.slice/containerd.service/kubepods:cri-containerd:' + id], id.slice(0, 12)],
    [['cpu=/machine.slice/libpod-' + id + '.scope'], id.slice(0, 12)],
    [['cpuset=/', 'cpu=/user.slice'], ''],
    [['cpuset=/docker/' + id.slice(1)], ''],
    [['cpuset=/docker/' + id + 'x'], '']
  ])('%j → %j', (cg, expected) => {
    expect(containerIdFromCgroups(cg)).toBe(expected)
  })
})

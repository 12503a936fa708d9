// sysdig 0.29.3's own chisels, run live on corpus captures, against our drill-down read models (the same calls
// `peregrine query F stream|commands|errors|top-files|top-connections --json` makes). Each case runs one chisel
// and compares its rows with the model's: names, byte and error counts (the chisels print sizes like
// "687.19KB"; our byte counts are formatted the chisels' way before comparing), commands, users and times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIndex } from '../../src-main/engine/index/build'
import { QueryDb } from '../../src-main/engine/query/query-db'
import { SYSDIG, sysdigText, tableRows } from '../fixtures/sysdig-chisel'
import {
  commands,
  errors,
  stream,
  topConnections,
  topFiles,
  topFilesErrors
} from '../../src-main/engine/query/io'

const CORPUS = resolve(__dirname, '../../../shared/corpus/files')
const K8S = join(CORPUS, 'bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap')
const CURL = join(CORPUS, 'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap')
const CAT = join(CORPUS, 'falcosecurity__falco/test__trace_files__cat_write.scap')
const PSP = join(CORPUS, 'falcosecurity__falco/test__trace_files__psp__run_as_user_0_container.scap')
const CAPTURES = [K8S, CURL, CAT, PSP]
const CURL_CONN = '2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80'

/** The chisels' byte text (common.lua format_bytes): "%dB" up to 1024, then two decimals with a unit. */
function chiselBytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 5, 'P'],
    [1024 ** 4, 'T'],
    [1024 ** 3, 'G'],
    [1024 ** 2, 'M'],
    [1024, 'KB']
  ]
  for (const [size, unit] of units) if (n > size) return `${(n / size).toFixed(2)}${unit}`
  return `${String(n)}B`
}

/** What echo_fds prints for a buffer: printable ASCII as is, every other byte as '.'. */
function printable(b: Buffer): string {
  let s = ''
  for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.'
  return s
}

const sorted = (rows: string[][]): string[] => rows.map((r) => r.join(' | ')).sort()

let dir = ''
const dbs = new Map<string, QueryDb>()
function db(capture: string): QueryDb {
  const q = dbs.get(capture)
  if (q === undefined) throw new Error(`no index for ${capture}`)
  return q
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-chisels-'))
  for (const c of CAPTURES) {
    const r = await buildIndex({ capturePath: c, dbPath: join(dir, `${String(dbs.size)}.db`) })
    dbs.set(c, QueryDb.open(r.dbPath))
  }
}, 60_000)

afterAll(() => {
  for (const q of dbs.values()) q.close()
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe.runIf(existsSync(SYSDIG))('sysdig 0.29.3 chisels vs our read models', () => {
  // echo_fds prints one "------ Read|Write <size> from|to <fd.name> (<proc.name>)" header per I/O event
  // that moved data, then the captured bytes (snaplen) with non-printables as '.'.
  const ECHO_CASES: { capture: string; filter: string; name: string; chunks: number }[] = [
    { capture: CURL, filter: 'fd.name contains 2607', name: CURL_CONN, chunks: 4 },
    {
      capture: CAT,
      filter: 'fd.name=/lib/x86_64-linux-gnu/libc.so.6',
      name: '/lib/x86_64-linux-gnu/libc.so.6',
      chunks: 1
    },
    { capture: K8S, filter: 'fd.name=/etc/protocols', name: '/etc/protocols', chunks: 240 }
  ]
  for (const c of ECHO_CASES) {
    it(`echo_fds "${c.filter}" = stream ${c.name}`, () => {
      const lines = sysdigText(['-r', c.capture, '-c', 'echo_fds', c.filter]).split('\n')
      const chisel: { dir: string; size: string; name: string; proc: string; text: string }[] = []
      for (let i = 0; i < lines.length; i++) {
        const m = /^------ (Read|Write) (\S+) (?:from|to) +(.*) \((.*)\)$/.exec(lines[i] ?? '')
        if (m === null) continue
        chisel.push({
          dir: m[1] === 'Read' ? 'in' : 'out',
          size: m[2] ?? '',
          name: m[3] ?? '',
          proc: m[4] ?? '',
          text: lines[i + 1] ?? ''
        })
      }
      const ours = stream(db(c.capture), { name: c.name }).chunks.map((k) => ({
        dir: k.dir,
        size: chiselBytes(k.len),
        name: k.fdName,
        proc: k.procName,
        text: printable(Buffer.from(k.data, 'base64'))
      }))
      expect(chisel.length).toBe(c.chunks)
      expect(ours).toEqual(chisel)
    })
  }

  it('spy_users = commands (shell pid, time to the second in UTC, user, command line)', () => {
    const chisel = sysdigText(['-r', K8S, '-c', 'spy_users'])
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\d+ \d\d:\d\d:\d\d /.test(l))
    const ours = commands(db(K8S)).map((r) => {
      const t = new Date(Number(BigInt(r.ts) / 1_000_000n)).toISOString().slice(11, 19)
      return `${String(r.shellPid)} ${t} ${r.user}) ${r.cmdline}`
    })
    expect(chisel).toEqual(['14330 15:41:39 root) curl backend.critical-app.svc.cluster.local'])
    expect(ours).toEqual(chisel)
  })

  // topfiles_bytes and topconns print their top 10 / 30 rows; ties (the 97.50KB libraries, the 4.05KB
  // connections, curl's 832B libraries) come in hash order, so rows are compared as sorted sets: every row
  // above the last printed size must match exactly, and the chisel's rows at that size (where the cut may
  // fall inside a tie) must be among ours of the same size.
  const TOP_CASES: { capture: string; chisel: string; rows: number; proto: boolean }[] = [
    { capture: K8S, chisel: 'topfiles_bytes', rows: 10, proto: false },
    { capture: CAT, chisel: 'topfiles_bytes', rows: 1, proto: false },
    { capture: CURL, chisel: 'topfiles_bytes', rows: 10, proto: false },
    { capture: K8S, chisel: 'topconns', rows: 30, proto: true },
    { capture: CURL, chisel: 'topconns', rows: 2, proto: true }
  ]
  for (const c of TOP_CASES) {
    it(`${c.chisel} on ${c.capture.slice(c.capture.lastIndexOf('/') + 1)}`, () => {
      const chisel = tableRows(sysdigText(['-r', c.capture, '-c', c.chisel]))
      expect(chisel.length).toBe(c.rows)
      const q = db(c.capture)
      const all = (c.proto ? topConnections(q, 10_000) : topFiles(q, 10_000)).map((r) =>
        c.proto ? [chiselBytes(r.bytes), r.proto ?? '', r.name] : [chiselBytes(r.bytes), r.name]
      )
      const cut = chisel[chisel.length - 1]?.[0] ?? ''
      const lastAbove = all.findIndex((r) => r[0] === cut)
      expect(lastAbove).toBeGreaterThanOrEqual(0)
      const chiselAbove = chisel.filter((r) => r[0] !== cut)
      expect(sorted(all.slice(0, lastAbove))).toEqual(sorted(chiselAbove))
      const oursAtCut = new Set(sorted(all.filter((r) => r[0] === cut)))
      const chiselAtCut = sorted(chisel.filter((r) => r[0] === cut))
      for (const r of chiselAtCut) expect(oursAtCut.has(r), r).toBe(true)
      // our model cuts the same way: top N by bytes
      expect(all.slice(0, c.rows).map((r) => r[0])).toEqual(chisel.map((r) => r[0]))
    })
  }

  // Failed syscalls: the errors model groups every failed exit event (res < 0) by errno; sysdig's own
  // evt.failed tally per errno must be the same.
  for (const capture of [PSP, K8S, CURL]) {
    it(`errors per errno = sysdig evt.failed tally on ${capture.slice(capture.lastIndexOf('/') + 1)}`, () => {
      const tally = new Map<string, number>()
      for (const l of sysdigText(['-r', capture, '-p', '%evt.res', 'evt.failed=true and evt.dir=<']).split(
        '\n'
      )) {
        const e = l.trim()
        if (e !== '') tally.set(e, (tally.get(e) ?? 0) + 1)
      }
      const ours = new Map(errors(db(capture), 1000).map((g) => [g.errno, g.count]))
      expect(tally.size).toBeGreaterThan(0)
      expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(tally))
    })
  }

  // topfiles_errors counts failed calls on fds of type file by fd.name (table_generator over
  // "fd.type=file and evt.failed=true"). On the PSP capture: "3 /dev/pts/ptmx", three reads returning EAGAIN
  // on an fd opened before the capture. The errors model names each failed call on a file fd by that fd's
  // name at the event (events.fdname), so its EAGAIN group carries the row; topFilesErrors is the chisel's
  // table itself (all corpus captures: topfiles-errors-vs-sysdig.test.ts).
  it('topfiles_errors = errors byPath = topFilesErrors (PSP: failed reads on an open pty)', () => {
    const chisel = tableRows(sysdigText(['-r', PSP, '-c', 'topfiles_errors']))
    expect(chisel).toEqual([['3', '/dev/pts/ptmx']])
    const failedReads = sysdigText(['-r', PSP, '-p', '%evt.res', 'fd.name=/dev/pts/ptmx and evt.failed=true'])
      .split('\n')
      .filter((l) => l.trim() !== '')
    expect(failedReads).toEqual(['EAGAIN', 'EAGAIN', 'EAGAIN'])
    const groups = errors(db(PSP), 1000)
    const eagain = groups.find((g) => g.errno === 'EAGAIN')
    expect(eagain?.count).toBe(15)
    expect(eagain?.byPath).toEqual([{ path: '/dev/pts/ptmx', count: 3 }])
    const ours = groups.flatMap((g) => g.byPath.map((p) => [String(p.count), p.path]))
    expect(sorted(ours)).toEqual(sorted(chisel))
    expect(topFilesErrors(db(PSP)).map((r) => [String(r.count), r.path])).toEqual(chisel)
  })
})

// Every real capture of the corpus, decoded and checked against sysdig 0.29.3 (the oracle) and the MANIFEST.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { collectFile, type EventRecord } from './collect'
import { sampleCapture } from '../fixtures/scap-writer'

const CORPUS = resolve(__dirname, '../../../shared/corpus')
const HAS_SYSDIG = spawnSync('sysdig', ['--version']).status === 0

interface ManifestRow {
  file: string
  sysdigReads: boolean
  evBlocks: number
}

function manifest(): ManifestRow[] {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean)
  const head = (lines[0] ?? '').split('\t')
  const col = (name: string): number => head.indexOf(name)
  return lines.slice(1).map((l) => {
    const c = l.split('\t')
    return {
      file: c[col('file')] ?? '',
      sysdigReads: (c[col('sysdig_reads')] ?? '').startsWith('yes'),
      evBlocks: Number(/ev_blocks=(\d+)/.exec(c[col('event_count')] ?? '')?.[1] ?? -1)
    }
  })
}

const ROWS = manifest()
const path = (f: string): string => join(CORPUS, 'files', f)

/** sysdig's own numbering: "num rawtime tid type" for every event it prints (-p '*...' shows all fields). */
function sysdigLines(file: string): string[] {
  const out = execFileSync('sysdig', ['-r', file, '-p', '*%evt.num %evt.rawtime %thread.tid %evt.type'], {
    maxBuffer: 1 << 30
  })
  return out.toString('utf8').split('\n').filter(Boolean)
}

function byNum(events: EventRecord[]): Map<number, string> {
  return new Map(events.map((e) => [e.num, `${e.num} ${e.ts} ${e.tid} ${e.name}`]))
}

describe('corpus: every EV block decoded (MANIFEST ev_blocks)', () => {
  test.each(ROWS.filter((r) => !r.file.endsWith('output.scap')).map((r) => [r.file, r.evBlocks]))(
    '%s: %i events',
    async (file, evBlocks) => {
      const r = await collectFile(path(file))
      expect(r.summary.error).toBeUndefined()
      expect(r.summary.complete).toBe(true)
      expect(r.summary.events).toBe(evBlocks)
      expect(r.events.map((e) => e.num)).toEqual(Array.from({ length: evBlocks }, (_, i) => i + 1))
      const severe = Object.entries(r.summary.anomalies).filter(([, a]) => a.severity !== 'info')
      expect(severe).toEqual([])
    }
  )
})

describe.skipIf(!HAS_SYSDIG)('corpus: numbering and headers equal sysdig 0.29.3', () => {
  test.each(ROWS.filter((r) => r.sysdigReads).map((r) => [r.file]))('%s', async (file) => {
    const lines = sysdigLines(path(file))
    const r = await collectFile(path(file), { eventSet: 'sysdig0293' })
    const ours = byNum(r.events)
    const mismatches = lines.filter((l) => ours.get(Number(l.split(' ')[0])) !== l)
    expect(mismatches.slice(0, 3)).toEqual([])
    const maxNum = lines.reduce((m, l) => Math.max(m, Number(l.split(' ')[0])), 0)
    expect(r.summary.events).toBeGreaterThanOrEqual(maxNum)
  })

  test('sample.scap: events >= 336 are what separates the two numberings', async () => {
    const f = path('falcosecurity__libs/userspace__libsinsp__test__resources__sample.scap')
    const head = await collectFile(f)
    const old = await collectFile(f, { eventSet: 'sysdig0293' })
    expect(head.summary.events).toBe(572)
    expect(old.summary.events).toBe(477)
    expect(old.summary.anomalies['event-not-in-0.29.3']?.count).toBe(95)
    expect(head.events.filter((e) => e.type >= 336)).toHaveLength(95)
  })

  test('the test writer produces files sysdig reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-writer-'))
    for (const gzip of [false, true]) {
      const f = join(dir, `s${gzip ? '.gz' : ''}.scap`)
      writeFileSync(f, sampleCapture({ gzip }))
      expect(sysdigLines(f).map((l) => l.split(' ').slice(2).join(' '))).toEqual([
        '100 openat',
        '100 openat',
        '100 read',
        '100 read',
        '100 close',
        '100 close'
      ])
    }
  })
})

describe('corpus files sysdig 0.29.3 cannot read', () => {
  test('curl_google_comments.scap (Wireshark-edited) delivers exactly the events of curl_google.scap', async () => {
    const dir = 'falcosecurity__libs/test__libsinsp_e2e__resources__captures__'
    const plain = await collectFile(path(`${dir}curl_google.scap`))
    const edited = await collectFile(path(`${dir}curl_google_comments.scap`))
    expect(edited.summary.complete).toBe(true)
    // Block offsets differ (the edited file has a longer SHB and options in 3 event blocks); nothing else may.
    const strip = (e: EventRecord): EventRecord => ({ ...e, fileOffset: 0 })
    expect(edited.events.map(strip)).toEqual(plain.events.map(strip))
    expect(edited.threads).toEqual(plain.threads)
    expect(edited.fds).toEqual(plain.fds)
    expect(edited.summary.anomalies['event-block-options']?.count).toBe(3)
    expect(edited.summary.anomalies['shb-options']?.count).toBe(1)
  })

  test('traces__docker-curl-https.scap: all 3557 EV blocks, numbering equal to the recording sysdig', async () => {
    const f = path('xxradar__stratoshark-http-https/traces__docker-curl-https.scap')
    const r = await collectFile(f)
    expect(r.summary.events).toBe(3557)
    expect(r.summary.blocks).toMatchObject({ EV_V2: 3556, EV_V2_LARGE: 1 })
    expect(r.fds.some((x) => x.fd.type === 21)).toBe(true)
    // The repo's text dump: "num HH:MM:SS.ns cpu comm (tid) dir type args".
    const dump = readFileSync(
      join(CORPUS, 'expected/xxradar__stratoshark-http-https/traces__docker-curl-https.txt'),
      'utf8'
    )
    const lines = dump.split('\n').filter(Boolean)
    const ours = new Map(
      r.events.map((e) => {
        const ns = BigInt(e.ts)
        const t = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(11, 19)
        const dir = e.type % 2 === 0 ? '>' : '<'
        return [
          e.num,
          `${e.num} ${t}.${String(ns % 1_000_000_000n).padStart(9, '0')} ${e.cpu} (${e.tid}) ${dir} ${e.name}`
        ]
      })
    )
    const bad = lines.filter((l) => {
      const m = /^(\d+) (\S+) (\d+) .*?(\(\d+\)) ([<>]) (\S+)/.exec(l)
      return m === null || ours.get(Number(m[1])) !== `${m[1]} ${m[2]} ${m[3]} ${m[4]} ${m[5]} ${m[6]}`
    })
    expect(lines.length).toBe(2345)
    expect(bad.slice(0, 3)).toEqual([])
  })

  test('bennythejudge output.scap (pcapng network capture) is refused', async () => {
    const r = await collectFile(path('bennythejudge__toolbox/output.scap'))
    expect(r.summary.error?.code).toBe('not-a-capture')
    expect(r.summary.error?.message).toContain('not a syscall capture (pcapng network capture:')
    expect(r.events).toHaveLength(0)
  })
})

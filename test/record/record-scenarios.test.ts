// Every scenario in samples/MANIFEST.tsv is recorded live (setup, record `run`, cleanup) into a temporary
// directory; sysdig 0.29.3 must read the file without error and see the scenario's key events. When the
// engine is built, `peregrine events` must print the same lines as sysdig for each file.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  CLI_MAIN,
  FIELDS,
  liveSkipReason,
  parseSummary,
  ROOT,
  scenarioToolsMissing,
  sysdig,
  titleWithSkip,
  walkBlocks
} from './record-env'

const skip = liveSkipReason() ?? scenarioToolsMissing()
const dir = mkdtempSync(join(tmpdir(), 'pg-record-scn-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** The event that makes each scenario what it is, as a sysdig 0.29.3 filter, and how many must match. */
const KEY_EVENTS: Record<string, { filter: string; min: number }> = {
  'container-shell': {
    filter:
      'evt.type=execve and evt.dir=< and proc.name=bash and container.id!=host and proc.tty!=0 and proc.pname=runc',
    min: 1
  },
  'shadow-read': {
    filter: 'evt.type=openat and evt.dir=< and fd.name=/etc/shadow and proc.name=cat',
    min: 1
  },
  'outbound-connection': {
    filter: 'evt.type=connect and evt.dir=< and fd.sip=198.51.100.2 and fd.sport=8080',
    min: 1
  },
  'reverse-shell': {
    filter: 'evt.type=dup and evt.dir=< and evt.rawres in (0,1,2) and fd.type=ipv4 and container.id!=host',
    min: 3
  },
  'download-exec-tmp': {
    filter: 'evt.type=execve and evt.dir=< and proc.exepath=/tmp/.peregrine-dropper',
    min: 1
  },
  'write-etc-bin': {
    filter:
      'evt.type=openat and evt.dir=< and (fd.name=/etc/peregrine-sample.conf or fd.name=/usr/bin/peregrine-sample-tool) and evt.arg.flags contains O_CREAT',
    min: 2
  },
  'ssh-key-read': {
    filter: 'evt.type=openat and evt.dir=< and fd.name=/home/peregrine-sample/.ssh/id_rsa',
    min: 1
  },
  'ptrace-attach': {
    filter: 'evt.type=ptrace and evt.dir=> and evt.arg.request contains PTRACE_ATTACH',
    min: 1
  },
  'setuid-change': {
    filter: 'evt.type=setuid and evt.dir=> and user.uid=65534 and evt.rawarg.uid=0',
    min: 1
  },
  'memfd-exec': {
    // PPM_EXE_FROM_MEMFD (4), with PPM_EXE_WRITABLE (1) as a memfd is mode 0777 (0.29.3 has no bit test, and
    // `in` does not compare raw arguments)
    filter:
      'evt.type=execveat and evt.dir=< and proc.name contains memfd and (evt.rawarg.flags=4 or evt.rawarg.flags=5)',
    min: 1
  },
  'log-clearing': {
    filter:
      'evt.type=openat and evt.dir=< and fd.name=/var/log/peregrine-sample.log and evt.arg.flags contains O_TRUNC',
    min: 1
  }
}

/** Checks of recorder features newer than the committed captures: live recordings only. */
const LIVE_KEY_EVENTS: Record<string, { filter: string; min: number }> = {
  // the dropper is root's own file: PPM_EXE_WRITABLE (sysdig 0.29.3 names it EXE_WRITABLE)
  'download-exec-tmp': {
    filter:
      'evt.type=execve and evt.dir=< and proc.exepath=/tmp/.peregrine-dropper and evt.arg.flags contains EXE_WRITABLE',
    min: 1
  },
  // a shell's own clone exit carries its memory counters (vm_size in KiB)
  'container-shell': {
    filter: 'evt.type=clone and evt.dir=< and evt.rawres>0 and evt.arg.vm_size>0 and evt.arg.pgft_min>0',
    min: 1
  }
}

const manifest = readFileSync(join(ROOT, 'samples', 'MANIFEST.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => l.split('\t'))
const scenarios = manifest.map((cols) => (cols[0] ?? '').replace(/\.scap$/, ''))

const OFFICIAL = join(ROOT, '..', 'shared', 'falco-rules', 'latest-falcosecurity-rules-c72713ee2e63')
const OFFICIAL_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map(
  (f) => join(OFFICIAL, f)
)

function splitRules(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .sort()
}

/** Distinct rule names `peregrine scan --json` raises on a file. */
function scanRules(file: string, ruleFiles: string[]): string[] {
  const args = [CLI_MAIN, 'scan', file, '--json']
  for (const r of ruleFiles) args.push('-r', r)
  const r = spawnSync('node', args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 })
  if (r.status !== 0) throw new Error(`peregrine scan ${file} failed (${String(r.status)}): ${r.stderr}`)
  const names = new Set<string>()
  for (const line of r.stdout.split('\n')) {
    if (line.trim() === '') continue
    const j = JSON.parse(line) as { rule?: unknown }
    if (typeof j.rule === 'string') names.add(j.rule)
  }
  return [...names].sort()
}

describe('samples manifest', () => {
  it('names an existing capture, its scenario script and what it shows for every row', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(11)
    for (const cols of manifest) {
      expect(cols).toHaveLength(5)
      const [file, script, shows] = cols as [string, string, string]
      expect(existsSync(join(ROOT, 'samples', file)), file).toBe(true)
      expect(existsSync(join(ROOT, 'samples', script)), script).toBe(true)
      expect(shows.length).toBeGreaterThan(10)
      expect(splitRules(cols[3]).length + splitRules(cols[4]).length, file).toBeGreaterThan(0)
    }
    expect(Object.keys(KEY_EVENTS).sort()).toEqual([...scenarios].sort())
  })

  const noSysdig =
    spawnSync('sysdig', ['--version']).status === 0 ? null : 'sysdig (the oracle) is not installed'
  it.skipIf(noSysdig !== null)(
    titleWithSkip('the committed captures read cleanly in sysdig and show their key events', noSysdig),
    () => {
      for (const n of scenarios) {
        const file = join(ROOT, 'samples', `${n}.scap`)
        const all = sysdig(file)
        expect(all.status, `${n}: ${all.stderr}`).toBe(0)
        const key = KEY_EVENTS[n]
        if (key === undefined) throw new Error(`no key event for ${n}`)
        const hits = sysdig(file, '%evt.num', key.filter)
          .stdout.split('\n')
          .filter((l) => l !== '')
        expect(hits.length, `${n}: ${key.filter}`).toBeGreaterThanOrEqual(key.min)
      }
    }
  )

  const cli = existsSync(CLI_MAIN) ? null : `the engine is not built (${CLI_MAIN})`
  describe.skipIf(cli !== null)(
    titleWithSkip('peregrine scan raises exactly the manifest rules', cli),
    () => {
      for (const cols of manifest) {
        const file = join(ROOT, 'samples', cols[0] ?? '')
        it(`${cols[0] ?? ''}: Peregrine's rules`, () => {
          expect(scanRules(file, [])).toEqual(splitRules(cols[3]))
        })
        it(`${cols[0] ?? ''}: official Falco rules`, () => {
          expect(scanRules(file, OFFICIAL_FILES)).toEqual(splitRules(cols[4]))
        })
      }
    }
  )
})

describe.skipIf(skip !== null)(titleWithSkip('recording every scenario live', skip), () => {
  const recorded = new Map<string, string>()
  /** Records scenario n once (setup, record `run`, cleanup) and returns the file. */
  function record(n: string): string {
    const done = recorded.get(n)
    if (done !== undefined) return done
    const out = join(dir, `${n}.scap`)
    const r = spawnSync('bash', [join(ROOT, 'samples', 'record-samples.sh'), '-o', dir, n], {
      encoding: 'utf8',
      timeout: 90_000
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const s = parseSummary(r.stdout)
    expect(s.drops).toBe(0)
    expect(s.bad_layouts).toBe(0)
    recorded.set(n, out)
    return out
  }
  const cli = existsSync(CLI_MAIN) ? null : `the engine is not built (${CLI_MAIN})`
  for (const n of scenarios) {
    it(`${n}: recorded; sysdig reads it and sees the key events`, () => {
      const out = record(n)
      expect(walkBlocks(out).error).toBeNull()
      const all = sysdig(out)
      expect(all.status, all.stderr).toBe(0)
      expect(all.stderr).toBe('')
      const key = KEY_EVENTS[n]
      if (key === undefined) throw new Error(`no key event for ${n}`)
      const hits = sysdig(out, FIELDS, key.filter)
        .stdout.split('\n')
        .filter((l) => l !== '')
      expect(hits.length, key.filter).toBeGreaterThanOrEqual(key.min)
      const live = LIVE_KEY_EVENTS[n]
      if (live !== undefined) {
        const liveHits = sysdig(out, FIELDS, live.filter)
          .stdout.split('\n')
          .filter((l) => l !== '')
        expect(liveHits.length, live.filter).toBeGreaterThanOrEqual(live.min)
      }
    })
    it.skipIf(cli !== null)(
      titleWithSkip(`${n}: peregrine events prints the lines sysdig prints`, cli),
      () => {
        const out = record(n)
        const all = sysdig(out)
        const ours = spawnSync('node', [CLI_MAIN, 'events', out], { encoding: 'utf8', maxBuffer: 256 << 20 })
        expect(ours.status, ours.stderr).toBe(0)
        const a = ours.stdout.split('\n')
        const b = all.stdout.split('\n')
        const differing = b.filter((line, i) => a[i] !== line)
        expect(
          differing.slice(0, 5),
          `${String(differing.length)} of ${String(b.length)} lines differ`
        ).toEqual([])
        expect(a.length).toBe(b.length)
      }
    )
  }
})

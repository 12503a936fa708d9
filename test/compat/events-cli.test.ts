/**
 * `peregrine events` as a program (the compiled CLI, built here when missing): same bytes as `sysdig -r` on a
 * corpus capture, filters, --limit, --json, and the exit codes 0 (read fully), 1 (damaged: partial output,
 * then the error with byte offset and block on stderr) and 2 (unusable input or usage).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')
const CLI = resolve(ROOT, 'bin/peregrine.js')
const BUILT = resolve(ROOT, 'out/engine/engine/cli/cmd-events.js')
const FILES = resolve(ROOT, '../shared/corpus/files')
const CAT = resolve(FILES, 'falcosecurity__falco/test__trace_files__cat_write.scap')
const NOT_SCAP = resolve(FILES, 'bennythejudge__toolbox/output.scap')
const SYSDIG = '/usr/bin/sysdig'
const HAVE_CORPUS = existsSync(CAT)

function run(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'events', ...args], {
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 1 << 28
  })
  return { code: r.status ?? -1, out: r.stdout.toString('utf8'), err: r.stderr.toString('utf8') }
}

let dir = ''

describe.skipIf(!HAVE_CORPUS)('peregrine events (compiled CLI)', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'h3-cli-'))
    if (!existsSync(BUILT)) {
      const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.engine.json'], { cwd: ROOT, stdio: 'inherit' })
      if (b.status !== 0) throw new Error('engine build failed')
    }
  }, 300_000)

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it.skipIf(!existsSync(SYSDIG))('prints the same bytes as sysdig -r (default line, filter, -p)', () => {
    for (const args of [
      [],
      ['evt.type=open and evt.dir=<'],
      ['-p', '%evt.num %proc.name %fd.name', 'fd.num>=0']
    ]) {
      const ours = run([CAT, ...args])
      const flt = args.filter((a) => a !== '-p' && !a.includes('%'))
      const fmt = args.includes('-p') ? ['-p', args[1] as string] : []
      const theirs = spawnSync(SYSDIG, ['-r', CAT, ...fmt, ...flt], { env: { ...process.env, TZ: 'UTC' } })
      expect(ours.code).toBe(0)
      expect(ours.out.length).toBeGreaterThan(0)
      expect(ours.out).toBe(theirs.stdout.toString('utf8'))
    }
  })

  it('numbers events as current libs with --all-event-types (a 2025 capture sysdig 0.29.3 cannot read)', () => {
    const modern = resolve(FILES, 'xxradar__stratoshark-http-https/traces__docker-curl-https.scap')
    if (!existsSync(modern)) return
    const r = run([
      modern,
      '--all-event-types',
      '-p',
      '%evt.num %evt.type %proc.name %proc.exepath',
      'proc.name=curl'
    ])
    expect(r.code).toBe(0)
    // the recorder's own dump (expected/) starts the curl process at event 1051
    expect(r.out.split('\n')[0]).toBe('1051 execve curl /usr/bin/curl')
  })

  it('honours --limit and --json', () => {
    const lim = run([CAT, '--limit', '3'])
    expect(lim.code).toBe(0)
    expect(lim.out.split('\n').filter((l) => l !== '')).toHaveLength(3)
    const js = run([CAT, '-p', '%evt.num %proc.name %fd.num', '--json', '--limit', '2', 'evt.type=open'])
    const rows = js.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({ 'proc.name': 'cat' })
    expect(typeof rows[0]?.['evt.num']).toBe('number')
  })

  it('exit 1 on a damaged capture: what was read, then the error with offset and block', () => {
    const raw = gunzipSync(readFileSync(CAT))
    const cut = join(dir, 'cut.scap')
    writeFileSync(cut, raw.subarray(0, raw.length - 3000))
    const r = run([cut])
    expect(r.code).toBe(1)
    expect(r.out.split('\n').length).toBeGreaterThan(10)
    expect(r.err).toMatch(/at byte offset \d+/)
  })

  it.each([
    ['a missing file', ['/nonexistent/file.scap']],
    ['a network pcapng, not a syscall capture', [NOT_SCAP]],
    ['a bad filter', [CAT, 'evt.type=']],
    ['an unknown field in -p', [CAT, '-p', '%no.such.field']],
    ['no FILE', []],
    ['an unknown option', [CAT, '--frobnicate']]
  ])('exit 2 on %s', (_name, args) => {
    const r = run(args)
    expect(r.code).toBe(2)
    expect(r.err.length).toBeGreaterThan(0)
  })
})

// Stopping a recording: SIGINT and SIGTERM flush a valid file, --max-events and --duration stop it, and
// usage errors are refused. The `peregrine record` argument checks run everywhere (no root needed).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { run as runRecordCli } from '../../src-main/engine/cli/cmd-record'
import { recorderArgs, parseSummary as parseCliSummary } from '../../src-main/engine/record/run-recorder'
import {
  CLI_MAIN,
  liveSkipReason,
  parseSummary,
  RECORDER,
  recordCommand,
  sysdig,
  titleWithSkip,
  walkBlocks
} from './record-env'

const skip = liveSkipReason()
const dir = mkdtempSync(join(tmpdir(), 'pg-record-ctl-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Starts `--all`, waits for the "recording to" line, makes some activity, sends `sig`. */
function recordAllUntil(out: string, sig: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(RECORDER, ['-o', out, '--duration', '60', '--all'], {
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let err = ''
    let sent = false
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (d: string) => {
      err += d
      if (!sent && err.includes('recording to')) {
        sent = true
        spawnSync('cat', ['/etc/hostname'])
        setTimeout(() => child.kill(sig), 200)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({ code, stderr: err })
    })
  })
}

describe.skipIf(skip !== null)(titleWithSkip('stopping a recording', skip), () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} during --all leaves a complete file that sysdig reads`, async () => {
      const out = join(dir, `all-${sig}.scap`)
      const r = await recordAllUntil(out, sig)
      expect(r.code, r.stderr).toBe(0)
      const s = parseSummary(r.stderr)
      expect(s.stop).toBe('signal')
      expect(s.events).toBeGreaterThan(0)
      const f = walkBlocks(out)
      expect(f.error).toBeNull()
      expect(f.eventBlocks).toBe(s.events)
      const sd = sysdig(
        out,
        '%proc.name %evt.type',
        'proc.name=cat and evt.type=openat and fd.name=/etc/hostname'
      )
      expect(sd.status, sd.stderr).toBe(0)
      expect(sd.stdout.split('\n').filter((l) => l !== '').length).toBeGreaterThanOrEqual(1)
    })
  }

  let overload: { file: string; drops: number } | undefined
  it('drops under overload are counted and marked in the file with DROP events', async () => {
    // --all with a 1 MiB ring; the recorder is stopped while dd makes ~400k read/write calls, so the
    // ring must overflow; every lost record is counted and the gap is marked with a DROP_E/DROP_X pair
    const out = join(dir, 'overload.scap')
    const child = spawn(RECORDER, ['-o', out, '--ring-mb', '1', '--duration', '60', '--all'], {
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let err = ''
    child.stderr.setEncoding('utf8')
    const closed = new Promise<number | null>((res) => child.on('close', res))
    await new Promise<void>((res) => {
      child.stderr.on('data', (d: string) => {
        err += d
        if (err.includes('recording to')) res()
      })
    })
    child.kill('SIGSTOP')
    spawnSync('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=200000'], { stdio: 'ignore' })
    child.kill('SIGCONT')
    child.kill('SIGINT')
    expect(await closed, err).toBe(0)
    const s = parseSummary(err)
    expect(s.drops).toBeGreaterThan(0)
    // the gap marker goes after the records already written, so records are not pushed forward to it
    expect(s.clamped_ts, `clamped ${String(s.clamped_ts)} of ${String(s.events)}`).toBeLessThan(s.events / 10)
    const f = walkBlocks(out)
    expect(f.error).toBeNull()
    expect(f.dropEvents).toBeGreaterThanOrEqual(2)
    const sd = sysdig(out, '%evt.num')
    expect(sd.status, sd.stderr).toBe(0)
    overload = { file: out, drops: s.drops }
  })

  it.skipIf(!existsSync(CLI_MAIN))(
    'peregrine info shows the number of records lost in the overload file',
    () => {
      if (overload === undefined) throw new Error('the overload recording did not run')
      const r = spawnSync('node', [CLI_MAIN, 'info', overload.file, '--json'], { encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(0)
      const j = JSON.parse(r.stdout) as { drops: { enter: number; exit: number; lost: number } }
      expect(j.drops.lost).toBe(overload.drops)
      expect(j.drops.enter).toBeGreaterThanOrEqual(1)
      const t = spawnSync('node', [CLI_MAIN, 'info', overload.file], { encoding: 'utf8' })
      expect(t.stdout).toContain(`${String(overload.drops)} lost: the sum of the DROP_E ratio parameters`)
    }
  )

  const LIMITS: {
    name: string
    extra: string[]
    cmd: string[]
    stop: string
    maxEvents: number
    maxBytes?: number
  }[] = [
    {
      name: '--max-events stops after N events',
      extra: ['--max-events', '40'],
      cmd: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do cat /etc/hostname >/dev/null; done; exec sleep 3'],
      stop: 'max-events',
      maxEvents: 41
    },
    {
      name: '--max-size stops near the size',
      extra: ['--max-size', '0.2'],
      cmd: ['sh', '-c', 'for i in $(seq 1 400); do cat /etc/hostname >/dev/null; done; exec sleep 3'],
      stop: 'max-size',
      maxEvents: 100_000,
      maxBytes: 0.2 * 1048576 + 65536
    },
    {
      name: '--duration stops a long command',
      extra: ['--duration', '1'],
      cmd: ['sleep', '20'],
      stop: 'duration',
      maxEvents: 100_000
    }
  ]
  for (const l of LIMITS) {
    it(l.name, () => {
      const out = join(dir, l.stop + '.scap')
      const r = recordCommand(out, l.cmd, l.extra)
      expect(r.status, r.stderr).toBe(0)
      const s = parseSummary(r.stderr)
      expect(s.stop).toBe(l.stop)
      expect(s.events).toBeLessThanOrEqual(l.maxEvents)
      if (l.maxBytes !== undefined) expect(s.bytes).toBeLessThanOrEqual(l.maxBytes)
      expect(walkBlocks(out).error).toBeNull()
      const sd = sysdig(out)
      expect(sd.status, sd.stderr).toBe(0)
    })
  }

  const BAD: { args: string[]; why: string }[] = [
    { args: ['--all'], why: 'no output file' },
    { args: ['-o', join(dir, 'x.scap')], why: 'neither --all nor a command' },
    { args: ['-o', join(dir, 'x.scap'), '--all', '--', 'true'], why: 'both --all and a command' },
    { args: ['-o', '/nonexistent-dir/x.scap', '--', 'true'], why: 'unwritable output' }
  ]
  for (const b of BAD) {
    it(`the recorder refuses ${b.why} with exit 2`, () => {
      const r = spawnSync(RECORDER, b.args, { encoding: 'utf8', timeout: 30_000 })
      expect(r.status).toBe(2)
    })
  }
})

const cliSkip = skip ?? (existsSync(CLI_MAIN) ? null : `the engine is not built (${CLI_MAIN})`)
describe.skipIf(cliSkip !== null)(titleWithSkip('peregrine record (the CLI wrapper)', cliSkip), () => {
  it('records a command and reports the summary', () => {
    const out = join(dir, 'cli-cmd.scap')
    const r = spawnSync('node', [CLI_MAIN, 'record', '-o', out, '--', 'cat', '/etc/hostname'], {
      encoding: 'utf8',
      timeout: 60_000
    })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(
      /peregrine record: \d+ events, \d+ bytes written to .*cli-cmd\.scap, no drops \(stopped: command-exited\)/
    )
    expect(sysdig(out, '%proc.name', 'evt.type=openat and fd.name=/etc/hostname').stdout.trim()).toBe('cat')
  })

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`forwards ${sig} to the recorder, which closes a valid file`, async () => {
      const out = join(dir, `cli-${sig}.scap`)
      const child = spawn('node', [CLI_MAIN, 'record', '-o', out, '--duration', '60', '--all'], {
        stdio: ['ignore', 'ignore', 'pipe']
      })
      let err = ''
      child.stderr.setEncoding('utf8')
      const closed = new Promise<number | null>((res) => child.on('close', res))
      await new Promise<void>((res) => {
        child.stderr.on('data', (d: string) => {
          err += d
          if (err.includes('recording to')) res()
        })
      })
      child.kill(sig)
      expect(await closed, err).toBe(0)
      expect(err).toMatch(/\(stopped: signal\)/)
      expect(walkBlocks(out).error).toBeNull()
      expect(sysdig(out, '%evt.num').status).toBe(0)
    })
  }
})

describe('peregrine record arguments', () => {
  const CASES: { args: string[]; code: number }[] = [
    { args: [], code: 2 },
    { args: ['--all'], code: 2 },
    { args: ['-o', 'x.scap'], code: 2 },
    { args: ['-o', 'x.scap', '--all', '--', 'ls'], code: 2 },
    { args: ['-o', 'x.scap', '--snaplen', 'abc', '--all'], code: 2 },
    { args: ['-o', 'x.scap', '--max-events', '-3', '--all'], code: 2 },
    { args: ['-o', 'x.scap', 'stray', '--all'], code: 2 },
    { args: ['--help'], code: 0 }
  ]
  for (const c of CASES) {
    it(`[${c.args.join(' ')}] -> exit ${String(c.code)}`, async () => {
      const write = process.stderr.write.bind(process.stderr)
      const out = process.stdout.write.bind(process.stdout)
      process.stderr.write = () => true
      process.stdout.write = () => true
      try {
        expect(await runRecordCli(c.args)).toBe(c.code)
      } finally {
        process.stderr.write = write
        process.stdout.write = out
      }
    })
  }

  it('builds the recorder command line from the options', () => {
    expect(
      recorderArgs({
        output: 'o.scap',
        all: false,
        command: ['cat', '-n', 'f'],
        maxEvents: 9,
        snaplen: 0,
        containers: ['a,b,c']
      })
    ).toEqual([
      '-o',
      'o.scap',
      '--max-events',
      '9',
      '--snaplen',
      '0',
      '--container',
      'a,b,c',
      '--',
      'cat',
      '-n',
      'f'
    ])
    expect(recorderArgs({ output: 'o.scap', all: true, command: [], durationS: 2.5 })).toEqual([
      '-o',
      'o.scap',
      '--duration',
      '2.5',
      '--all'
    ])
  })

  it('reads the summary from the last JSON line of the recorder stderr', () => {
    const s = parseCliSummary(
      'peregrine-recorder: recording to x\n{"file":"x","events":12,"bytes":99,"drops":3,"stop":"signal","command_status":0}\n'
    )
    expect(s).toEqual({
      file: 'x',
      events: 12,
      bytes: 99,
      records: 0,
      drops: 3,
      stop: 'signal',
      commandStatus: 0
    })
    expect(parseCliSummary('no json here\n')).toBeNull()
    expect(parseCliSummary('{"broken\n')).toBeNull()
  })
})

// End to end through the real field registry and state engine: for each condition, the events it selects on a
// real capture (their evt.num) are exactly those sysdig 0.29.3 selects. Guards operator semantics (missing
// values, !=, either-endpoint fields, ancestors, pmatch, glob, in, numeric and ip/net comparisons).
// Skipped when sysdig is not installed.
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ChunkWriter, printEvents } from '../../src-main/engine/cli/cmd-events'
import { SHARED } from './catalog-registry'

const FILES = {
  nginx: path.join(SHARED, 'corpus/files/bencer__sysdig-opensource-examples/example0__nginx@e3a0456e.scap'),
  connect: path.join(SHARED, 'corpus/files/falcosecurity__falco/test__trace_files__connect_localhost.scap'),
  cat: path.join(SHARED, 'corpus/files/falcosecurity__falco/test__trace_files__cat_write.scap')
}
const HAVE = existsSync('/usr/bin/sysdig') && Object.values(FILES).every((f) => existsSync(f))

// [capture, condition]
const TABLE: [keyof typeof FILES, string][] = [
  ['nginx', 'proc.name=nginx'],
  ['nginx', 'proc.name != nginx'],
  ['nginx', 'not proc.name = nginx'],
  ['nginx', 'proc.name in (nginx, bash) and not fd.name exists'],
  ['nginx', 'fd.name contains /var'],
  ['nginx', 'fd.name icontains VAR'],
  ['nginx', 'fd.name startswith /etc'],
  ['nginx', 'fd.name endswith .log'],
  ['nginx', "fd.name glob '/var/*'"],
  ['nginx', "fd.name glob '*.so*'"],
  ['nginx', 'fd.name pmatch (/etc, /lib)'],
  ['nginx', 'fd.name != /dev/null'],
  ['nginx', 'fd.name exists'],
  ['nginx', 'not fd.name exists'],
  ['nginx', 'evt.type in (read, write, open, openat)'],
  ['nginx', 'evt.type = switch'],
  ['nginx', 'proc.pid > 1000'],
  ['nginx', 'proc.pid <= 1000'],
  ['nginx', 'proc.pid in (1, 2, 3)'],
  ['nginx', 'evt.num < 100'],
  ['nginx', 'fd.num >= 3'],
  ['nginx', 'fd.sip = 127.0.0.1'],
  ['nginx', 'fd.sip != 127.0.0.1'],
  ['nginx', 'fd.cip exists'],
  ['nginx', 'fd.net = 127.0.0.0/8'],
  ['nginx', 'fd.net = "10.0.0.0/8"'],
  ['nginx', 'fd.snet = 0.0.0.0/0'],
  ['nginx', 'fd.ip = 127.0.0.1'],
  ['nginx', 'fd.port = 80'],
  ['nginx', 'fd.port != 80'],
  ['nginx', 'fd.sport > 1024'],
  ['nginx', 'fd.l4proto = tcp'],
  ['nginx', 'evt.res != SUCCESS'],
  ['nginx', 'evt.res = SUCCESS'],
  ['nginx', 'evt.rawres < 0'],
  ['nginx', 'evt.rawres >= 0'],
  ['nginx', 'proc.aname = bash'],
  ['nginx', 'proc.aname[1] = bash'],
  ['nginx', 'proc.aname != bash'],
  ['nginx', 'proc.pname = sshd'],
  ['nginx', 'user.name = root'],
  ['nginx', 'user.uid = 0'],
  ['nginx', 'evt.arg.fd exists'],
  ['nginx', 'evt.arg.res != 0'],
  ['nginx', 'evt.is_io = true'],
  ['nginx', 'evt.dir = <'],
  ['nginx', 'container.id = host'],
  ['nginx', 'proc.args contains -'],
  ['nginx', 'evt.buffer contains GET'],
  ['nginx', 'evt.buffer contains HTTP'],
  ['nginx', 'proc.name = nginx and (evt.type = read or evt.type = write) and not fd.name contains log'],
  ['connect', 'fd.ip = 127.0.0.1'],
  ['connect', 'fd.port = 80'],
  ['connect', 'fd.port != 80'],
  ['connect', 'fd.sport = 80'],
  ['connect', 'fd.net = 127.0.0.0/8'],
  ['connect', 'evt.arg.res != 0'],
  ['connect', 'not fd.name exists'],
  ['connect', 'proc.aname != bash'],
  ['cat', 'proc.name = cat and evt.type in (open, openat)'],
  ['cat', 'fd.name pmatch (/dev)'],
  ['cat', 'proc.aname[1] = bash and fd.name exists'],
  ['cat', 'evt.arg.flags contains O_RDONLY']
]

const tmp = mkdtempSync(path.join(os.tmpdir(), 'peregrine-filter-'))
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
})

function sysdigNums(file: string, cond: string): string[] {
  const r = spawnSync('/usr/bin/sysdig', ['-r', file, '-p', '%evt.num', cond], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 << 20
  })
  expect(r.status).toBe(0)
  return r.stdout.split('\n').filter((l) => l !== '')
}

async function ourNums(file: string, cond: string, n: number): Promise<string[]> {
  const out = path.join(tmp, `out-${n}.txt`)
  const fd = openSync(out, 'w')
  try {
    const w = new ChunkWriter(fd)
    await printEvents(file, { filter: cond, format: '%evt.num' }, w)
    w.flush()
  } finally {
    closeSync(fd)
  }
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
}

describe.skipIf(!HAVE)('selected events equal sysdig 0.29.3', () => {
  it.each(TABLE.map(([f, c], i) => [f, c, i] as const))('%s: %s', async (file, cond, i) => {
    const want = sysdigNums(FILES[file], cond)
    const got = await ourNums(FILES[file], cond, i)
    expect(got.length).toBe(want.length)
    expect(got).toEqual(want)
  })
})

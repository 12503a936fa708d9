/**
 * The sysdig compatibility test: for every corpus capture sysdig 0.29.3 reads (MANIFEST.tsv sysdig_reads=yes),
 * `peregrine events F -p FMT` must print exactly the lines of `sysdig -r F -p FMT` (every field of FMT), and the
 * default line (no -p) must match on at least 99% of the lines. Both run with TZ=UTC. Prints, per file and per
 * field, the number of disagreements and a few examples. Skipped when sysdig is not installed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { printEvents } from '../../src-main/engine/cli/cmd-events'
import { setLocalOffsetSeconds } from '../../src-main/engine/format/time-text'
import { compareLines, type Comparison } from './compare-lines'

const ROOT = resolve(__dirname, '../..')
const CORPUS = resolve(ROOT, '../shared/corpus')
const SYSDIG = '/usr/bin/sysdig'
const HAVE = existsSync(SYSDIG) && existsSync(resolve(CORPUS, 'MANIFEST.tsv'))

export const FIELDS_FORMAT = [
  '*%evt.num',
  '%evt.type',
  '%evt.dir',
  '%proc.name',
  '%proc.pid',
  '%proc.ppid',
  '%thread.tid',
  '%proc.cmdline',
  '%proc.pname',
  '%proc.exepath',
  '%user.name',
  '%user.uid',
  '%group.name',
  '%fd.num',
  '%fd.type',
  '%fd.name',
  '%fd.sip',
  '%fd.sport',
  '%fd.cip',
  '%fd.cport',
  '%fd.l4proto',
  '%container.id',
  '%container.name',
  '%container.image',
  '%evt.res'
].join('\t')

const FIELD_NAMES = FIELDS_FORMAT.split('\t').map((f) => f.replace(/^\*?%/, ''))

function manifest(): string[] {
  if (!HAVE) return []
  const rows = readFileSync(resolve(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)
  return rows
    .map((r) => r.split('\t'))
    .filter((c) => c[6] === 'yes' && c[0] !== undefined)
    .map((c) => c[0] as string)
}

function sysdig(file: string, format?: string): Buffer {
  const args = ['-r', file]
  if (format !== undefined) args.push('-p', format)
  const r = spawnSync(SYSDIG, args, { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`sysdig failed on ${file}: ${r.stderr.toString()}`)
  return r.stdout
}

async function ours(file: string, format?: string): Promise<Buffer> {
  const parts: string[] = []
  await printEvents(file, { format }, { write: (s) => parts.push(s) })
  return Buffer.from(parts.join(''), 'utf8')
}

function report(file: string, what: string, c: Comparison): void {
  const lines = [`${file} [${what}]: ${c.same}/${c.total} lines identical`]
  for (const [field, n] of Object.entries(c.byField)) {
    lines.push(`  ${field}: ${n} disagreement(s)`)
    for (const ex of c.examples[field] ?? [])
      lines.push(`    sysdig: ${ex.expected}\n    ours:   ${ex.actual}`)
  }
  process.stdout.write(lines.join('\n') + '\n')
}

const FILES = manifest()

describe.skipIf(!HAVE)('sysdig 0.29.3 compatibility on the corpus', () => {
  beforeAll(() => {
    process.env.TZ = 'UTC'
    setLocalOffsetSeconds(0)
  })

  it('finds the corpus captures sysdig reads', () => {
    expect(FILES.length).toBeGreaterThan(20)
  })

  for (const rel of FILES) {
    const file = resolve(CORPUS, 'files', rel)
    it(`fields: ${rel}`, { timeout: 120_000 }, async () => {
      const c = compareLines(sysdig(file, FIELDS_FORMAT), await ours(file, FIELDS_FORMAT), FIELD_NAMES)
      report(rel, 'fields', c)
      expect(c.same).toBe(c.total)
      expect(c.extra).toBe(0)
    })
    it(`default line: ${rel}`, { timeout: 120_000 }, async () => {
      const c = compareLines(sysdig(file), await ours(file), undefined)
      report(rel, 'default', c)
      expect(c.total === 0 ? 1 : c.same / c.total).toBeGreaterThanOrEqual(0.99)
    })
  }
})

/**
 * Fields that combine the event with state (evt.abspath/.src/.dst, evt.is_open_*, evt.buflen, evt.category)
 * on every readable corpus capture vs sysdig 0.29.3. Disagreements are counted per field and printed; the
 * overall agreement per field must stay ≥ 99.5%.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evtBuflen, evtCategory } from '../../src-main/engine/format/evt-fields'
import { evtAbspath, evtIsOpen } from '../../src-main/engine/format/evt-paths'
import { CORPUS, hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

const FIELDS = [
  'evt.num',
  'evt.abspath',
  'evt.abspath.src',
  'evt.abspath.dst',
  'evt.is_open_read',
  'evt.is_open_write',
  'evt.is_open_exec',
  'evt.buflen',
  'evt.buflen.in',
  'evt.buflen.net.out',
  'evt.buflen.file',
  'evt.category'
]
const FORMAT = '*' + FIELDS.map((f) => '%' + f).join('\t')
const UNREADABLE = new Set([
  'bennythejudge__toolbox/output.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google_comments.scap',
  'xxradar__stratoshark-http-https/traces__docker-curl-https.scap'
])
const NA = '<NA>'

function corpusFiles(): string[] {
  if (!hasSysdig) return []
  const out: string[] = []
  for (const dir of readdirSync(CORPUS).sort()) {
    for (const f of readdirSync(path.join(CORPUS, dir)).sort()) {
      const rel = `${dir}/${f}`
      if (f.endsWith('.scap') && !UNREADABLE.has(rel)) out.push(rel)
    }
  }
  return out
}

const bad = new Map<string, number>()
const examples = new Map<string, string[]>()
let lines = 0

describe.skipIf(!hasSysdig)('state-dependent evt.* fields vs sysdig 0.29.3', () => {
  it.each(corpusFiles())('%s', async (rel) => {
    const file = path.join(CORPUS, rel)
    const theirs = sysdigLines(file, FORMAT)
    const ours = await ourLines(file, new Set(theirs.keys()), (ev, ctx, engine) => {
      const fdType = engine.fdinfo?.type
      return [
        String(ev.num),
        evtAbspath(ev, ctx) ?? NA,
        evtAbspath(ev, ctx, 'src') ?? NA,
        evtAbspath(ev, ctx, 'dst') ?? NA,
        evtIsOpen(ev, 'read'),
        evtIsOpen(ev, 'write'),
        evtIsOpen(ev, 'exec'),
        evtBuflen(ev, fdType) ?? NA,
        evtBuflen(ev, fdType, 'in') ?? NA,
        evtBuflen(ev, fdType, 'net.out') ?? NA,
        evtBuflen(ev, fdType, 'file') ?? NA,
        evtCategory(ev, fdType)
      ].join('\t')
    })
    for (const [num, line] of theirs) {
      const a = line.split('\t')
      const b = (ours.get(num) ?? '').split('\t')
      FIELDS.forEach((f, i) => {
        if (a[i] !== b[i]) {
          bad.set(f, (bad.get(f) ?? 0) + 1)
          const ex = examples.get(f) ?? []
          if (ex.length < 3) ex.push(`${rel} #${String(num)}: sysdig=${String(a[i])} ours=${String(b[i])}`)
          examples.set(f, ex)
        }
      })
    }
    lines += theirs.size
  })

  it('per-field agreement ≥ 99.5%', () => {
    console.log(`lines: ${String(lines)}; disagreements per field:`, Object.fromEntries(bad))
    for (const [f, ex] of examples) console.log(`-- ${f}\n${ex.join('\n')}`)
    expect(lines).toBeGreaterThan(100000)
    for (const f of FIELDS) expect((bad.get(f) ?? 0) / lines, f).toBeLessThanOrEqual(0.005)
  })
})

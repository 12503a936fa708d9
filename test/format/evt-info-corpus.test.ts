/**
 * `%evt.num %evt.type %evt.dir %evt.info` for every event of every corpus capture sysdig 0.29.3 reads,
 * rendered from our decoder + state engine, compared with sysdig's own output. Disagreements are tallied by
 * the PT type of the first parameter that differs (printed), and the agreement must stay ≥ the floor below.
 */
import { appendFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PT_NAMES } from '../../src-main/engine/capture/schema/event-table.generated'
import { evtDir, evtTypeName, renderEvtArgs } from '../../src-main/engine/format/evt-info'
import { paramSpec, renderParam } from '../../src-main/engine/format/param-render'
import { DEFAULT_RENDER_OPTIONS } from '../../src-main/engine/format/render-context'
import { CORPUS, hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

/** Set EVT_INFO_DUMP=/path to get every disagreement written there. */
const DUMP = process.env.EVT_INFO_DUMP
const FORMAT = '*%evt.num %evt.type %evt.dir %evt.info'
/** Files sysdig 0.29.3 cannot read (see the corpus MANIFEST). */
const UNREADABLE = new Set([
  'bennythejudge__toolbox/output.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google_comments.scap',
  'xxradar__stratoshark-http-https/traces__docker-curl-https.scap'
])

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

interface Tally {
  lines: number
  same: number
  byType: Map<string, number>
  examples: Map<string, string[]>
}

const total: Tally = { lines: 0, same: 0, byType: new Map(), examples: new Map() }

describe.skipIf(!hasSysdig)('evt.info on the corpus vs sysdig 0.29.3', () => {
  it.each(corpusFiles())('%s', async (rel) => {
    const file = path.join(CORPUS, rel)
    const theirs = sysdigLines(file, FORMAT)
    const firstDiff = new Map<number, string>()
    const ours = await ourLines(file, new Set(theirs.keys()), (ev, ctx) => {
      const line = `${String(ev.num)} ${evtTypeName(ev)} ${evtDir(ev)} ${renderEvtArgs(ev, ctx)}`
      const want = theirs.get(ev.num)
      if (want !== undefined && want !== line) {
        // Locate the first parameter whose text differs, to tally by PT type.
        const head = `${String(ev.num)} ${evtTypeName(ev)} ${evtDir(ev)} `
        let kind = want.startsWith(head) ? 'type/dir' : 'header'
        if (want.startsWith(head)) {
          let cur = head.length
          for (let i = 0; i < ev.nparams; i++) {
            const r = renderParam(ev, i, ctx, DEFAULT_RENDER_OPTIONS)
            const piece = `${paramSpec(ev, i)[0]}=${r.value}${r.resolved === '' ? '' : `(${r.resolved})`} `
            if (!want.startsWith(piece, cur)) {
              kind = PT_NAMES[paramSpec(ev, i)[1]] ?? 'NONE'
              break
            }
            cur += piece.length
          }
        }
        firstDiff.set(ev.num, kind)
      }
      return line
    })
    let same = 0
    for (const [num, line] of theirs) {
      const mine = ours.get(num)
      if (mine === line) {
        same++
        continue
      }
      const kind = mine === undefined ? 'missing' : (firstDiff.get(num) ?? '?')
      total.byType.set(kind, (total.byType.get(kind) ?? 0) + 1)
      if (DUMP !== undefined)
        appendFileSync(DUMP, `${rel} ${kind}\n  sysdig: ${line}\n  ours:   ${String(mine)}\n`)
      const ex = total.examples.get(kind) ?? []
      if (ex.length < 3) ex.push(`${rel}\n  sysdig: ${line}\n  ours:   ${String(mine)}`)
      total.examples.set(kind, ex)
    }
    total.lines += theirs.size
    total.same += same
    console.log(`${rel}: ${String(same)}/${String(theirs.size)} identical`)
    expect(same).toBeGreaterThanOrEqual(Math.floor(theirs.size * 0.9))
  })

  it('overall agreement', () => {
    console.log(`evt.info lines identical: ${String(total.same)}/${String(total.lines)}`)
    console.log('first differing param, by type:', Object.fromEntries(total.byType))
    for (const [kind, ex] of total.examples) console.log(`-- ${kind}\n${ex.join('\n')}`)
    expect(total.lines).toBeGreaterThan(100000)
    expect(total.same / total.lines).toBeGreaterThanOrEqual(0.99)
  })
})

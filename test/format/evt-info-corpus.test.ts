/**
 * The default `sysdig -r FILE` line (`%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir
 * %evt.type %evt.info`) for every event of every corpus capture sysdig 0.29.3 reads, from our decoder + state
 * engine + renderers, compared with sysdig's own output (issue 2: ≥ 99% identical overall).
 * proc.name is read as the field registry does (the event's thread, else the thread that now has its tid).
 * Disagreements are tallied by what differs first: the process name (state), or the PT type of the first
 * parameter whose text differs; set EVT_INFO_DUMP=/path to get every disagreement written there.
 */
import { appendFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PT_NAMES } from '../../src-main/engine/capture/schema/event-table.generated'
import { evtDir, evtTypeName, renderEvtArgs } from '../../src-main/engine/format/evt-info'
import { paramSpec, renderParam, visibleParams } from '../../src-main/engine/format/param-render'
import { DEFAULT_RENDER_OPTIONS } from '../../src-main/engine/format/render-context'
import { setLocalOffsetSeconds, timeText } from '../../src-main/engine/format/time-text'
import { CORPUS, hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

const DUMP = process.env.EVT_INFO_DUMP
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

const total = { lines: 0, same: 0, byKind: new Map<string, number>(), examples: new Map<string, string[]>() }

describe.skipIf(!hasSysdig)('default sysdig -r line on the corpus', () => {
  it.each(corpusFiles())('%s', async (rel) => {
    setLocalOffsetSeconds(0) // sysdig runs with TZ=UTC
    const file = path.join(CORPUS, rel)
    const theirs = sysdigLines(file, null)
    const kinds = new Map<number, string>()
    const ours = await ourLines(file, new Set(theirs.keys()), (ev, ctx, engine) => {
      const head = `${String(ev.num)} ${timeText(ev.tsHi, ev.tsLo)} ${String(ev.cpu)} ${(engine.tinfo ?? engine.threads.get(ev.tid))?.comm ?? '<NA>'} (${String(ev.tid)}) ${evtDir(ev)} ${evtTypeName(ev)} `
      const line = head + renderEvtArgs(ev, ctx)
      const want = theirs.get(ev.num)
      if (want !== undefined && want !== line) {
        let kind = 'header'
        if (want.startsWith(head)) {
          let cur = head.length
          for (let i = 0; i < visibleParams(ev); i++) {
            const r = renderParam(ev, i, ctx, DEFAULT_RENDER_OPTIONS)
            const piece = `${paramSpec(ev, i)[0]}=${r.value}${r.resolved === '' ? '' : `(${r.resolved})`} `
            if (!want.startsWith(piece, cur)) {
              kind = PT_NAMES[paramSpec(ev, i)[1]] ?? 'NONE'
              break
            }
            cur += piece.length
          }
        }
        kinds.set(ev.num, kind)
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
      const kind = mine === undefined ? 'missing' : (kinds.get(num) ?? '?')
      total.byKind.set(kind, (total.byKind.get(kind) ?? 0) + 1)
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

  it('overall ≥ 99% identical', () => {
    setLocalOffsetSeconds(undefined)
    console.log(`default lines identical: ${String(total.same)}/${String(total.lines)}`)
    console.log('first difference, by kind:', Object.fromEntries(total.byKind))
    for (const [kind, ex] of total.examples) console.log(`-- ${kind}\n${ex.join('\n')}`)
    expect(total.lines).toBeGreaterThan(100000)
    expect(total.same / total.lines).toBeGreaterThanOrEqual(0.99)
  })
})

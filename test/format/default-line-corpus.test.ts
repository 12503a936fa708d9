/**
 * The whole default `sysdig -r FILE` line (`%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid)
 * %evt.dir %evt.type %evt.info`) from our decoder + state engine + renderers, vs sysdig 0.29.3 on every
 * readable corpus capture. Issue 2's bar: ≥ 99% identical lines overall.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evtDir, evtTypeName, renderEvtArgs } from '../../src-main/engine/format/evt-info'
import { timeText } from '../../src-main/engine/format/time-text'
import { CORPUS, hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

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

const total = { lines: 0, same: 0, examples: [] as string[] }

describe.skipIf(!hasSysdig)('default sysdig -r line on the corpus', () => {
  it.each(corpusFiles())('%s', async (rel) => {
    const file = path.join(CORPUS, rel)
    const theirs = sysdigLines(file, null)
    const ours = await ourLines(file, new Set(theirs.keys()), (ev, ctx, engine) => {
      const comm = engine.tinfo?.comm ?? '<NA>'
      return `${String(ev.num)} ${timeText(ev.tsHi, ev.tsLo)} ${String(ev.cpu)} ${comm} (${String(ev.tid)}) ${evtDir(ev)} ${evtTypeName(ev)} ${renderEvtArgs(ev, ctx)}`
    })
    let same = 0
    for (const [num, line] of theirs) {
      const mine = ours.get(num)
      if (mine === line) same++
      else if (total.examples.length < 12)
        total.examples.push(`${rel}\n  sysdig: ${line}\n  ours:   ${String(mine)}`)
    }
    total.lines += theirs.size
    total.same += same
    console.log(`${rel}: ${String(same)}/${String(theirs.size)}`)
    expect(same).toBeGreaterThanOrEqual(Math.floor(theirs.size * 0.9))
  })

  it('overall ≥ 99% identical', () => {
    console.log(`default lines identical: ${String(total.same)}/${String(total.lines)}`)
    for (const e of total.examples) console.log(e)
    expect(total.lines).toBeGreaterThan(100000)
    expect(total.same / total.lines).toBeGreaterThanOrEqual(0.99)
  })
})

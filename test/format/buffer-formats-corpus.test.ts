/**
 * sysdig's data display switches (-A ascii, -x hex, -X hex+ascii, -b base64) and output-time switches
 * (-t a/r) on captures with I/O payloads: whole default lines must be identical.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evtDir, evtTypeName, renderEvtArgs } from '../../src-main/engine/format/evt-info'
import { countsForFirstTs } from '../../src-main/engine/format/evt-fields'
import type { BufferFormat } from '../../src-main/engine/format/render-context'
import { absOutputTimeText, durationText, relNs, timeText } from '../../src-main/engine/format/time-text'
import { CORPUS, hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

const FILES = [
  'bencer__sysdig-opensource-examples/example0__nginx.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap'
]
const CASES: readonly (readonly [string, BufferFormat | null, 'h' | 'a' | 'r'])[] = [
  ['-A', 'ascii', 'h'],
  ['-x', 'hex', 'h'],
  ['-X', 'hexascii', 'h'],
  ['-b', 'base64', 'h'],
  ['-ta', null, 'a'],
  ['-tr', null, 'r']
]

describe.skipIf(!hasSysdig)('sysdig -A/-x/-X/-b/-t', () => {
  it.each(FILES.flatMap((f) => CASES.map((c) => [f, ...c] as const)))('%s %s', async (rel, flag, fmt, t) => {
    const file = path.join(CORPUS, rel)
    const theirs = sysdigLines(file, null, 'UTC', [flag])
    let firstHi = -1
    let firstLo = 0
    const opts = { bufferFormat: fmt ?? 'normal', maxBufLen: fmt === null ? 80 : 0 } as const
    const ours = await ourLines(
      file,
      new Set(theirs.keys()),
      (ev, ctx, engine) => {
        const when =
          t === 'a'
            ? absOutputTimeText(ev.tsHi, ev.tsLo)
            : t === 'r'
              ? durationText(relNs(ev.tsHi, ev.tsLo, firstHi, firstLo))
              : timeText(ev.tsHi, ev.tsLo)
        const comm = engine.tinfo?.comm ?? '<NA>'
        return `${String(ev.num)} ${when} ${String(ev.cpu)} ${comm} (${String(ev.tid)}) ${evtDir(ev)} ${evtTypeName(ev)} ${renderEvtArgs(ev, ctx, opts)}`
      },
      (ev) => {
        if (firstHi < 0 && countsForFirstTs(ev)) {
          firstHi = ev.tsHi
          firstLo = ev.tsLo
        }
      }
    )
    const diffs: string[] = []
    for (const [num, line] of theirs) {
      const mine = ours.get(num)
      if (mine !== line && diffs.length < 5) diffs.push(`sysdig: ${line}\nours:   ${String(mine)}`)
    }
    expect(diffs).toEqual([])
    expect(theirs.size).toBeGreaterThan(0)
  })
})

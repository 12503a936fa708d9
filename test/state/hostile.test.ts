/**
 * Hostile input: corpus captures with bytes flipped inside event parameters, and synthetic events with
 * missing, empty, oversized or garbage parameters, go through the state engine and every field without
 * throwing or hanging (a fixed seed keeps the test repeatable).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { printEvents } from '../../src-main/engine/cli/cmd-events'
import { FIELDS } from '../../src-main/engine/fields'
import { bytes, empty, fd, str, u32, u8 } from '../fixtures/scap-writer'
import { tick } from './events'
import { base } from './harness'

const FILES = resolve(__dirname, '../../../shared/corpus/files')
const CAPTURES = [
  'falcosecurity__falco/test__trace_files__cat_write.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap',
  'bencer__sysdig-opensource-examples/example0__nginx.scap'
]

/** Every printable field in one -p format. */
const ALL =
  '*' +
  [...FIELDS.all()]
    .filter((d) => d.arg === 'none' && d.filterOnly !== true)
    .map((d) => '%' + d.name)
    .join(' ')

function rng(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    return x / 0x7fffffff
  }
}

async function print(buf: Buffer): Promise<number> {
  let n = 0
  await printEvents(buf, { format: ALL }, { write: (s) => (n += s.length) })
  return n
}

describe('state: hostile input', () => {
  it('survives corrupted parameters in a real capture', { timeout: 60_000 }, async () => {
    const rand = rng(42)
    for (const rel of CAPTURES) {
      let raw: Buffer
      try {
        const file = readFileSync(resolve(FILES, rel))
        raw = file[0] === 0x1f ? gunzipSync(file) : file
      } catch {
        continue
      }
      for (let round = 0; round < 8; round++) {
        const b = Buffer.from(raw)
        // Leave the first 40% (metadata) alone, scramble bytes in the event area.
        for (let k = 0; k < 200; k++) {
          const at = Math.floor(b.length * (0.4 + 0.6 * rand()))
          b[at] = Math.floor(rand() * 256)
        }
        await expect(print(b)).resolves.toBeGreaterThanOrEqual(0)
      }
    }
  })

  it('survives events with missing, empty and garbage parameters', async () => {
    const w = base([{ tid: 1, pid: 1, ptid: 0, comm: 'init', cwd: '/' }])
    const junk = bytes(Buffer.from([0xff, 0x00, 0x02, 0x7f, 0x00, 0x00, 0x01]))
    for (const code of [3, 5, 7, 19, 21, 23, 27, 43, 61, 95, 97, 125, 151, 223, 247, 293, 307, 324, 186]) {
      w.ev(code - 1, { tid: 1, ts: tick(), params: [] })
      w.ev(code, { tid: 1, ts: tick(), params: [] })
      w.ev(code - 1, { tid: 1, ts: tick(), params: [fd(3), junk, u32(0)] })
      w.ev(code, { tid: 1, ts: tick(), params: [empty(), empty(), junk, u8(1), str('x')] })
      w.ev(code, { tid: 2, ts: tick(), params: [fd(-1), junk, junk, junk, junk, junk, junk, junk] })
    }
    w.ev(324, { tid: -1, ts: tick(), params: [str('{"container":')], large: true })
    w.ev(324, { tid: -1, ts: tick(), params: [str('[1,2,3]')], large: true })
    await expect(print(w.toBuffer())).resolves.toBeGreaterThan(0)
  })
})

/**
 * Event-level fields (times, result, I/O flags, buffer) on corpus captures vs sysdig 0.29.3, in UTC and in a
 * half-hour-offset time zone. Every line of each listed capture must be identical.
 */
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evtDir, evtTypeName } from '../../src-main/engine/format/evt-info'
import {
  countsForFirstTs,
  evtBuffer,
  evtFailed,
  evtIoDir,
  evtIsIo,
  evtIsIoRead,
  evtIsIoWrite,
  evtIsWait,
  evtRawRes,
  evtRes
} from '../../src-main/engine/format/evt-fields'
import {
  datetimeSecText,
  datetimeText,
  iso8601Text,
  rawTimeNsText,
  rawTimeSecText,
  rawTimeText,
  relTimeNsText,
  relTimeSecText,
  relTimeText,
  setLocalOffsetSeconds,
  timeSecText,
  timeText
} from '../../src-main/engine/format/time-text'
import { CORPUS, hasSysdig, ourLines, sysdigLines } from './corpus-oracle'

const FIELDS = [
  'evt.num',
  'evt.time',
  'evt.time.s',
  'evt.datetime',
  'evt.datetime.s',
  'evt.time.iso8601',
  'evt.outputtime',
  'evt.rawtime',
  'evt.rawtime.s',
  'evt.rawtime.ns',
  'evt.reltime',
  'evt.reltime.s',
  'evt.reltime.ns',
  'evt.cpu',
  'evt.dir',
  'evt.type',
  'evt.res',
  'evt.rawres',
  'evt.failed',
  'evt.is_io',
  'evt.is_io_read',
  'evt.is_io_write',
  'evt.io_dir',
  'evt.is_wait',
  'evt.buffer'
]
const FORMAT = '*' + FIELDS.map((f) => '%' + f).join('\t')

const FILES = [
  'falcosecurity__falco/test__trace_files__cat_write.scap',
  'bencer__sysdig-opensource-examples/example0__nginx.scap',
  'draios__sysdig-inspect/capture-samples__502Error.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap',
  'falcosecurity__falco/test__trace_files__psp__run_as_user_0_container.scap'
]

const NA = '<NA>'

describe.skipIf(!hasSysdig)('evt.* fields vs sysdig 0.29.3', () => {
  const savedTz = process.env.TZ
  afterAll(() => {
    process.env.TZ = savedTz
    setLocalOffsetSeconds(undefined)
  })

  it.each(FILES.flatMap((f) => [[f, 'UTC'] as const, [f, 'Asia/Kolkata'] as const]))(
    '%s TZ=%s',
    async (rel, tz) => {
      process.env.TZ = tz
      setLocalOffsetSeconds(undefined)
      const file = path.join(CORPUS, rel)
      const theirs = sysdigLines(file, FORMAT, tz)
      let firstHi = -1
      let firstLo = 0
      const ours = await ourLines(
        file,
        new Set(theirs.keys()),
        (ev, _ctx, engine) => {
          const h = ev.tsHi
          const l = ev.tsLo
          return (
            [
              String(ev.num),
              timeText(h, l),
              timeSecText(h, l),
              datetimeText(h, l),
              datetimeSecText(h, l),
              iso8601Text(h, l),
              timeText(h, l),
              rawTimeText(h, l),
              rawTimeSecText(h, l),
              rawTimeNsText(h, l),
              relTimeText(h, l, firstHi, firstLo),
              relTimeSecText(h, l, firstHi, firstLo),
              relTimeNsText(h, l, firstHi, firstLo),
              String(ev.cpu),
              evtDir(ev),
              evtTypeName(ev),
              evtRes(ev) ?? NA,
              evtRawRes(ev) ?? NA,
              evtFailed(ev),
              evtIsIo(ev),
              evtIsIoRead(ev),
              evtIsIoWrite(ev),
              evtIoDir(ev) ?? NA,
              evtIsWait(ev),
              evtBuffer(ev) ?? NA
            ].join('\t') + (engine.tinfo === undefined ? '' : '')
          )
        },
        (ev) => {
          if (firstHi < 0 && countsForFirstTs(ev)) {
            firstHi = ev.tsHi
            firstLo = ev.tsLo
          }
        }
      )
      const bad: string[] = []
      for (const [num, line] of theirs) {
        const mine = ours.get(num)
        if (mine !== line) {
          const a = line.split('\t')
          const b = (mine ?? '').split('\t')
          const diffs = FIELDS.filter((_f, i) => a[i] !== b[i]).map((f) => {
            const i = FIELDS.indexOf(f)
            return `${f}: sysdig=${String(a[i])} ours=${String(b[i])}`
          })
          if (bad.length < 10) bad.push(`${String(num)} ${diffs.join('; ')}`)
        }
      }
      expect(bad).toEqual([])
      expect(theirs.size).toBeGreaterThan(0)
    }
  )
})

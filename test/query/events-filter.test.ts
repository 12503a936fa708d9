// Events page filters: capture + filter → the number of events sysdig 0.29.3 prints for `sysdig -r F FILTER`,
// whether the filter compiles to SQL (indexed fields) or is evaluated by scanning the capture (other fields);
// and filter errors come back as problems with their position.
// thread.tid is the event header's tid in sysdig, also for an event whose thread is gone (the switch right
// after curl's procexit on the Kubernetes capture: "<NA> (22369)"); proc.pid and container.id need the thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIndex } from '../../src-main/engine/index/build'
import { QueryDb } from '../../src-main/engine/query/query-db'
import { eventsAround, eventsPage, checkFilter } from '../../src-main/engine/query/events'

const CORPUS = resolve(__dirname, '../../../shared/corpus/files')
const K8S = join(CORPUS, 'bencer__troubleshooting-docker-kubernetes-sysdig/capture.scap')
const CURL = join(CORPUS, 'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap')
const HAVE_SYSDIG = existsSync('/usr/bin/sysdig')

const CASES: [capture: string, filter: string, evaluation: 'sql' | 'scan'][] = [
  [K8S, 'evt.type=open', 'sql'],
  [K8S, 'fd.name contains /etc', 'sql'],
  [K8S, 'evt.failed=true', 'sql'],
  [K8S, 'evt.num>=1000 and evt.num<2000', 'sql'],
  [K8S, 'evt.type in (connect, accept) and evt.dir=<', 'sql'],
  [K8S, 'evt.type=open and proc.name=iptables', 'sql'],
  [K8S, 'proc.cmdline contains findmnt', 'sql'],
  [K8S, 'proc.exe contains iptables', 'sql'],
  [K8S, 'user.name=root and evt.type=execve', 'sql'],
  [K8S, 'not evt.type in (switch, select, futex)', 'sql'],
  [K8S, 'evt.cpu=1 and evt.type=read', 'sql'],
  [K8S, 'evt.res=ENOENT', 'scan'],
  [K8S, 'thread.tid=22369', 'sql'],
  [K8S, 'not thread.tid=22369', 'sql'],
  [K8S, 'thread.tid in (22369, 14330) and evt.type=switch', 'sql'],
  [K8S, 'thread.tid>22369', 'sql'],
  [K8S, 'proc.pid=22369', 'sql'],
  [K8S, 'proc.pid!=22369 and evt.num>=108500 and evt.num<108600', 'sql'],
  [K8S, 'container.id=b3a718d8b339', 'sql'],
  [CURL, 'evt.type=connect', 'sql'],
  [CURL, 'fd.name contains 2607', 'sql'],
  [CURL, 'evt.dir=< and evt.failed=true', 'sql'],
  [CURL, 'proc.name=curl', 'sql'],
  [CURL, 'evt.arg.flags contains O_RDONLY', 'scan'],
  [CURL, 'fd.type=ipv6', 'scan']
]

let dir = ''
const dbs = new Map<string, QueryDb>()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-filters-'))
  for (const [i, c] of [K8S, CURL].entries()) {
    const r = await buildIndex({ capturePath: c, dbPath: join(dir, `${i}.db`) })
    dbs.set(c, QueryDb.open(r.dbPath))
  }
})

afterAll(() => {
  for (const q of dbs.values()) q.close()
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!HAVE_SYSDIG)('events page filters count what sysdig prints', () => {
  for (const [capture, filter, evaluation] of CASES) {
    it(`${capture.split('/').pop() ?? ''}: ${filter}`, async () => {
      const q = dbs.get(capture)
      if (q === undefined) throw new Error('not indexed')
      const r = await eventsPage(q, { filter, limit: 50 })
      if (!r.page.ok) throw new Error(r.page.error.message)
      const expected = execFileSync('sysdig', ['-r', capture, '-p', '%evt.num', filter], {
        maxBuffer: 1 << 26
      })
        .toString()
        .split('\n')
        .filter((l) => l !== '')
      expect(r.evaluation).toBe(evaluation)
      expect(r.page.total).toBe(expected.length)
      expect(r.page.rows.map((x) => String(x.num))).toEqual(expected.slice(0, 50))
    })
  }
})

describe('events without a thread', () => {
  // sysdig -r capture.scap 'evt.num=108544': "108544 ... 0 <NA> (22369) > switch next=14330(bash) ..."
  it('keep the header tid (the switch after curl 22369 exited)', () => {
    const q = dbs.get(K8S)
    if (q === undefined) throw new Error('not indexed')
    const rows = eventsAround(q, 108543, 0, 1).rows
    expect(rows.map((r) => [r.num, r.type, r.tid, r.pid, r.upid === null])).toEqual([
      [108543, 'procexit', 22369, 22369, false],
      [108544, 'switch', 22369, -1, true]
    ])
  })
})

describe('filter problems', () => {
  const BAD: [string, string][] = [
    ['evt.type=', 'FLT_'],
    ['proc.name = "unterminated', 'FLT_'],
    ['no.such.field = 1', 'FLT_UNKNOWN_FIELD'],
    ['(evt.type=open', 'FLT_']
  ]
  for (const [filter, code] of BAD) {
    it(`'${filter}' → ${code}…`, async () => {
      const q = dbs.get(CURL)
      if (q === undefined) throw new Error('not indexed')
      const p = checkFilter(q, filter)
      expect(p?.code.startsWith(code)).toBe(true)
      expect(p?.end).toBeGreaterThanOrEqual(p?.start ?? 0)
      const r = await eventsPage(q, { filter })
      expect(r.page.ok).toBe(false)
    })
  }
})

// Pure renderer helpers: hash routes round-trip, stream bytes rendered safely, big trees open folded.
import { describe, expect, it } from 'vitest'
import { href, parseHash } from '../../src-renderer/app/route'
import type { Route } from '../../src-renderer/app/route'
import { asHex, asText, decodeBase64 } from '../../src-renderer/views/stream-view'
import { initialFolds } from '../../src-renderer/views/tree-svg'
import type { ProcessNode } from '../../src-main/common/model/types'

describe('routes', () => {
  it.each<Route>([
    { view: 'overview' },
    { view: 'timeline' },
    { view: 'tree', focus: null },
    { view: 'tree', focus: 42 },
    { view: 'process', upid: 7 },
    { view: 'alerts', id: 3 },
    { view: 'events', filter: 'evt.type=openat and fd.name contains "a b&c#d"', upid: 5, num: 9 },
    { view: 'events', filter: '', upid: null, num: null },
    { view: 'stream', name: '10.0.0.1:40000->1.2.3.4:80', pid: null, fd: null },
    { view: 'stream', name: null, pid: 100, fd: 3 },
    { view: 'inspect' },
    { view: 'rules' }
  ])('%j survives href → parseHash', (r) => {
    expect(parseHash(href(r))).toEqual(r)
  })

  it.each([
    ['', 'overview'],
    ['#/nope', 'overview'],
    ['#/process/abc', 'tree'],
    ['#/alerts/<img>', 'alerts']
  ])('%s falls back safely to %s', (h, view) => {
    expect(parseHash(h).view).toBe(view)
  })
})

describe('stream rendering', () => {
  const bytes = new Uint8Array([0x47, 0x45, 0x54, 0x0d, 0x0a, 0x3c, 0x00, 0xff, 0x09, 0x7f])
  const b64 = Buffer.from(bytes).toString('base64')
  it('decodes base64 to the exact bytes', () => {
    expect([...decodeBase64(b64)]).toEqual([...bytes])
  })
  it('text keeps printable ASCII, newline and tab; every other byte is a dot', () => {
    expect(asText(bytes)).toBe('GET.\n<..\t.')
  })
  it('hex shows offset, 16 bytes and ASCII', () => {
    expect(asHex(bytes)).toBe(`00000000  47 45 54 0d 0a 3c 00 ff 09 7f${' '.repeat(18)}  GET..<....`)
    expect(asHex(new Uint8Array(17)).split('\n')[1]).toMatch(/^00000010 {2}00 /)
  })
})

describe('process tree folds', () => {
  const node = (upid: number, parent: number | null, alerts = 0): ProcessNode => ({
    upid,
    parentUpid: parent,
    pid: upid,
    ppid: parent ?? 0,
    name: `p${upid}`,
    exe: '',
    cmdline: '',
    user: 'root',
    container: null,
    start: null,
    end: null,
    alerts: alerts > 0 ? [{ key: 'WARNING', count: alerts }] : []
  })
  it('small trees open fully', () => {
    expect(initialFolds([node(1, null), node(2, 1), node(3, 2)], null).size).toBe(0)
  })
  it('big trees fold every subtree without an alert or the focus, below the roots', () => {
    const nodes = [node(1, null)]
    // 1 → 2..101 (each with 3 children); 50's grandchild has an alert; 60 is the focus's parent
    for (let i = 2; i <= 101; i++) {
      nodes.push(node(i, 1))
      for (let k = 0; k < 3; k++) nodes.push(node(i * 1000 + k, i, i === 50 && k === 1 ? 2 : 0))
    }
    const f = initialFolds(nodes, 60001)
    expect(f.has(1)).toBe(false)
    expect(f.has(50)).toBe(false)
    expect(f.has(60)).toBe(false)
    expect(f.has(2)).toBe(true)
    expect(f.size).toBe(98)
  })
})

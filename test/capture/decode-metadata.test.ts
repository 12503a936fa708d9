// Metadata blocks written by the test writer, decoded back: every block type and version.
import { describe, expect, test } from 'vitest'
import { collectBuffer } from './collect'
import {
  BT,
  ScapWriter,
  fd,
  fdDir,
  fdFifo,
  fdFile,
  fdFileV2,
  fdIpv4,
  fdIpv4Serv,
  fdIpv6,
  fdIpv6Serv,
  fdNamed,
  fdUnix,
  u32,
  type ProcSpec
} from '../fixtures/scap-writer'

const T0 = 1_700_000_000_000_000_000n

/** A section with the given metadata and one close event so the section is not empty. */
function withEvent(w: ScapWriter): Buffer {
  return w.ev(4, { tid: 100, ts: T0, params: [fd(3)] }).toBuffer()
}

const proc: ProcSpec = {
  tid: 100,
  pid: 99,
  ptid: 1,
  sid: 7,
  vpgid: 8,
  comm: 'curl',
  exe: 'curl',
  exepath: '/usr/bin/curl',
  args: ['-s', 'http://x/'],
  cwd: '/home/a',
  fdlimit: 1024,
  flags: 0x2000,
  uid: 1000,
  gid: 1001,
  vmsizeKb: 10,
  vmrssKb: 11,
  vmswapKb: 12,
  pfmajor: 13,
  pfminor: 14,
  env: ['A=1', 'B=2'],
  vtid: 5,
  vpid: 4,
  cgroups: ['cpuset=/docker/' + 'ab'.repeat(32)],
  root: '/chroot',
  loginuid: 1000,
  exeWritable: true,
  tty: 34816,
  pgid: 99
}

describe('PL blocks, every version', () => {
  // [version, tail, expected subset]
  const cases: [number, 'pre010' | 'modern' | 'none', Record<string, unknown>][] = [
    [
      1,
      'none',
      { sid: -1, vpgid: -1, exepath: '', vmsizeKb: 0, env: [], vtid: -1, vpid: -1, cgroups: [], root: '' }
    ],
    [2, 'none', { vmsizeKb: 10, pfminor: 14, env: [] }],
    [3, 'none', { env: ['A=1', 'B=2'], vtid: -1 }],
    [4, 'none', { vtid: 5, vpid: 4, cgroups: proc.cgroups, root: '' }],
    [5, 'none', { root: '/chroot', sid: -1 }],
    [6, 'none', { sid: 7, vpgid: -1, exepath: '' }],
    [7, 'none', { exepath: '/usr/bin/curl', vpgid: -1 }],
    [8, 'none', { vpgid: 8, loginuid: -1 }],
    [9, 'none', { vpgid: 8, loginuid: -1, exeWritable: false, tty: 0, pgid: -1 }],
    [9, 'pre010', { loginuid: 1000, exeWritable: true, tty: 0, pgid: -1 }],
    [9, 'modern', { loginuid: 1000, exeWritable: true, tty: 34816, pgid: 99 }]
  ]
  test.each(cases)('PL V%i tail %s', async (version, tail, expected) => {
    const r = await collectBuffer(withEvent(new ScapWriter().shb().procs([proc], { version, tail })))
    expect(r.summary.complete).toBe(true)
    expect(r.summary.anomalies).toEqual({})
    expect(r.threads).toHaveLength(1)
    const t = r.threads[0]
    expect(t).toMatchObject({
      tid: 100,
      pid: 99,
      ptid: 1,
      comm: 'curl',
      exe: 'curl',
      args: ['-s', 'http://x/']
    })
    expect(t).toMatchObject({ cwd: '/home/a', fdlimit: 1024, flags: 0x2000, uid: 1000, gid: 1001 })
    expect(t).toMatchObject(expected)
  })

  test('several entries and an empty PL block', async () => {
    const w = new ScapWriter()
      .shb()
      .procs([])
      .procs([{ tid: 1 }, { tid: 2, pid: 1 }, { tid: 3 }])
    const r = await collectBuffer(withEvent(w))
    expect(r.threads.map((t) => [t.tid, t.pid])).toEqual([
      [1, 1],
      [2, 1],
      [3, 3]
    ])
    expect(r.summary.blocks).toMatchObject({ PL_V9: 2 })
  })

  test('a V9 entry whose length runs past the block is reported, earlier entries kept', async () => {
    const good = new ScapWriter()
      .shb()
      .procs([{ tid: 1 }, { tid: 2 }])
      .toBuffer()
    // Corrupt the second entry's length field (first entry starts at body offset 0 of the PL block).
    const plAt = 28
    const firstLen = good.readUInt32LE(plAt + 8)
    good.writeUInt32LE(100000, plAt + 8 + firstLen)
    const r = await collectBuffer(Buffer.concat([good, withEvent(new ScapWriter())]))
    expect(r.threads.map((t) => t.tid)).toEqual([1])
    expect(r.summary.anomalies['metadata-truncated-entry']?.count).toBe(1)
    expect(r.summary.complete).toBe(true)
  })
})

describe('FDL blocks', () => {
  const entries = [
    fdFile(3, '/etc/passwd', 77n),
    fdDir(4, '/tmp'),
    fdIpv4(5, '10.0.0.5', 40000, '93.184.216.34', 80),
    fdIpv6(6, '2001:db8::4', 54405, '2001:db8::3', 1234, 3),
    fdIpv4Serv(7, '0.0.0.0', 80),
    fdIpv6Serv(8, '::', 443),
    fdFifo(9, 'pipe:[1234]'),
    fdUnix(10, 0xffff9c2e1b2c3d40n, 0xffff9c2e1b2c3d80n, '/run/docker.sock'),
    ...[9, 10, 11, 12, 13, 14, 15].map((t) => fdNamed(t + 2, t, `name${t}`)),
    fdFileV2(30, '/var/log/x', 0x1002, 2049)
  ]
  const expected = [
    { fd: 3, type: 1, name: '/etc/passwd', ino: '77' },
    { fd: 4, type: 2, name: '/tmp' },
    { fd: 5, type: 3, sip: '10.0.0.5', sport: 40000, dip: '93.184.216.34', dport: 80, l4proto: 2 },
    { fd: 6, type: 4, sip: '2001:db8::4', sport: 54405, dip: '2001:db8::3', dport: 1234, l4proto: 3 },
    { fd: 7, type: 5, sip: '0.0.0.0', sport: 80, dip: '', l4proto: 2 },
    { fd: 8, type: 6, sip: '::', sport: 443 },
    { fd: 9, type: 7, name: 'pipe:[1234]' },
    {
      fd: 10,
      type: 8,
      unixSource: 'ffff9c2e1b2c3d40',
      unixDest: 'ffff9c2e1b2c3d80',
      name: '/run/docker.sock'
    },
    ...[9, 10, 11, 12, 13, 14, 15].map((t) => ({ fd: t + 2, type: t, name: `name${t}` }))
  ]

  test('FDL V2: fd types 1–16 and the HEAD-only 17–21', async () => {
    const head = [17, 18, 19, 20, 21].map((t) => fdNamed(t + 20, t, `head${t}`))
    const r = await collectBuffer(
      withEvent(
        new ScapWriter()
          .shb()
          .procs([{ tid: 100 }])
          .fds(100, [...entries, ...head])
      )
    )
    expect(r.summary.anomalies).toEqual({})
    expect(r.fds.every((f) => f.tid === 100)).toBe(true)
    const fds = r.fds.map((f) => f.fd)
    expect(fds).toHaveLength(entries.length + head.length)
    expected.forEach((e, i) => {
      expect(fds[i]).toMatchObject(e)
    })
    expect(fds[expected.length]).toMatchObject({
      fd: 30,
      type: 16,
      name: '/var/log/x',
      openFlags: 0x1002,
      dev: 2049
    })
    expect(fds.slice(-5).map((f) => [f.type, f.name])).toEqual(
      [17, 18, 19, 20, 21].map((t) => [t, `head${t}`])
    )
  })

  test('FDL V1: types 1–16 back to back (FILE_V2 without dev)', async () => {
    const v1 = [...entries.slice(0, -1), fdFileV2(30, '/var/log/x', 0x1002)]
    const w = new ScapWriter()
      .shb()
      .procs([{ tid: 100 }])
      .fds(100, v1, { version: 1 })
    const r = await collectBuffer(withEvent(w))
    expect(r.summary.anomalies).toEqual({})
    const fds = r.fds.map((f) => f.fd)
    expected.forEach((e, i) => {
      expect(fds[i]).toMatchObject(e)
    })
    expect(fds[expected.length]).toMatchObject({
      fd: 30,
      type: 16,
      name: '/var/log/x',
      openFlags: 0x1002,
      dev: 0
    })
    expect(r.summary.blocks).toMatchObject({ FDL_V1: 1 })
  })

  test('FILE_V2 in an FDL V2 entry without the appended dev', async () => {
    const r = await collectBuffer(withEvent(new ScapWriter().shb().fds(1, [fdFileV2(3, '/a', 1)])))
    expect(r.fds[0]?.fd).toMatchObject({ name: '/a', openFlags: 1, dev: 0 })
  })

  test('FDL V2 with an unknown fd type 99: kept as UNSUPPORTED "unknown-type:[99]", next entry read', async () => {
    const w = new ScapWriter().shb().fds(1, [fdFile(5, '/a'), fdNamed(9, 99, 'bad'), fdFile(6, '/b')])
    const r = await collectBuffer(withEvent(w))
    expect(r.fds.map((f) => [f.fd.fd, f.fd.type, f.fd.name])).toEqual([
      [5, 1, '/a'],
      [9, 10, 'unknown-type:[99]'],
      [6, 1, '/b']
    ])
    expect(r.summary.anomalies['metadata-unknown-fd-type']).toMatchObject({ count: 1, severity: 'warning' })
  })

  test('FDL V1 with an unknown fd type 99: the rest of the block is lost', async () => {
    const w = new ScapWriter()
      .shb()
      .fds(1, [fdFile(5, '/a'), fdNamed(9, 99, 'bad'), fdFile(6, '/b')], { version: 1 })
    const r = await collectBuffer(withEvent(w))
    expect(r.fds.map((f) => f.fd.fd)).toEqual([5])
    expect(r.summary.anomalies['metadata-bad-fd-type']).toMatchObject({ count: 1, severity: 'data-loss' })
  })

  test.each([1, 2] as const)(
    'FDL V%i with fd type 0 (UNKNOWN): no payload, next entry read',
    async (version) => {
      const unknown = { fd: 8, type: 0, payload: Buffer.alloc(0) }
      const w = new ScapWriter().shb().fds(1, [unknown, fdFile(6, '/b')], { version })
      const r = await collectBuffer(withEvent(w))
      expect(r.fds.map((f) => [f.fd.fd, f.fd.type, f.fd.name])).toEqual([
        [8, 0, ''],
        [6, 1, '/b']
      ])
      expect(r.summary.anomalies).toEqual({})
    }
  )
})

describe('UL, IL and MI blocks', () => {
  const users = [
    { uid: 0, gid: 0, name: 'root', home: '/root', shell: '/bin/bash' },
    { uid: 1000, gid: 1000, name: 'alice', home: '/home/alice', shell: '/bin/zsh' }
  ]
  const groups = [
    { gid: 0, name: 'root' },
    { gid: 1000, name: 'alice' }
  ]
  test.each([1, 2] as const)('UL V%i users and groups', async (version) => {
    const r = await collectBuffer(withEvent(new ScapWriter().shb().users(users, groups, { version })))
    expect(r.users).toEqual(
      users.map((u) => ({ uid: u.uid, gid: u.gid, name: u.name, homedir: u.home, shell: u.shell }))
    )
    expect(r.groups).toEqual(groups)
    expect(r.summary.anomalies).toEqual({})
  })

  const ifaces = [
    {
      family: 4,
      addr: '10.0.0.5',
      netmask: '255.255.255.0',
      bcast: '10.0.0.255',
      ifname: 'eth0',
      linkspeed: 1000
    },
    { family: 4, addr: '127.0.0.1', netmask: '255.0.0.0', bcast: '127.255.255.255', ifname: 'lo' },
    {
      family: 6,
      addr: 'fe80::1',
      netmask: 'ffff:ffff:ffff:ffff::',
      bcast: '::',
      ifname: 'eth0',
      linkspeed: 10
    },
    { family: 6, addr: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', bcast: '::', ifname: 'lo' }
  ] as const
  test.each([1, 2] as const)('IL V%i, IPv4/IPv6 with and without link speed', async (version) => {
    const r = await collectBuffer(withEvent(new ScapWriter().shb().ifaces(ifaces, { version })))
    expect(r.ifaces).toEqual(
      ifaces.map((i) => ({
        family: i.family,
        addr: i.addr,
        netmask: i.netmask,
        bcast: i.bcast,
        ifname: i.ifname
      }))
    )
    expect(r.summary.anomalies).toEqual({})
  })

  test('MI fields', async () => {
    const w = new ScapWriter()
      .shb()
      .mi({ cpus: 8, memory: 16 * 2 ** 30, maxPid: 4194304, hostname: 'box-1', bootTs: 17n })
    const r = await collectBuffer(withEvent(w))
    expect(r.machines).toEqual([
      { numCpus: 8, memorySizeBytes: 16 * 2 ** 30, maxPid: 4194304, hostname: 'box-1', bootTs: '17' }
    ])
  })

  test('MI of the wrong size: anomaly, decoded as far as it goes', async () => {
    const r = await collectBuffer(withEvent(new ScapWriter().shb().block(BT.MI, u32(4))))
    expect(r.machines[0]?.numCpus).toBe(4)
    expect(r.summary.anomalies['machine-info-size']?.count).toBe(1)
  })

  test('metadata after events: applied, with a warning', async () => {
    const w = new ScapWriter()
      .shb()
      .ev(4, { tid: 1, ts: T0, params: [fd(3)] })
      .procs([{ tid: 1, comm: 'late' }])
    const r = await collectBuffer(w.toBuffer())
    expect(r.threads.map((t) => t.comm)).toEqual(['late'])
    expect(r.summary.anomalies['metadata-after-events']).toMatchObject({ count: 1, severity: 'warning' })
  })
})

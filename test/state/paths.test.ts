import { describe, expect, it } from 'vitest'
import { ipv6At, socktupleText } from '../../src-main/engine/state/net-addr'
import { parseIpv6 } from '../../src-main/engine/state/ip-parse'
import { concatPaths, normaliseCwd } from '../../src-main/engine/state/paths'

describe('sinsp path joining', () => {
  it.each([
    ['/home/u/', 'a/b', '/home/u/a/b'],
    ['/home/u/', '../x', '/home/x'],
    ['/', '..', '/'],
    ['/', '../../etc', '/etc'],
    ['/a/b/', './c/', '/a/b/c'],
    ['/a/', '/x//y/./z/..', '/x/y'],
    ['/a/', '.', '/a'],
    ['/a/', '..', '/'],
    ['/a/', '', ''],
    ['/a/', 'x\x01y', '/a/x.y'],
    ['/a/', '/etc/passwd', '/etc/passwd'],
    ['/a/', '.bashrc', '/a/.bashrc'],
    ['/a/', 'a..b', '/a/a..b'],
    ['/a/b', 'c', '/a/bc'],
    ['<UNKNOWN>', 'x', '<UNKNOWN>x'],
    ['/srv/', 'dir/', '/srv/dir']
  ])('%j + %j = %j', (base, path, want) => {
    expect(concatPaths(base, path)).toBe(want)
  })

  it('keeps a trailing slash on cwds', () => {
    expect(normaliseCwd('/home/alice/', '../bob/./src')).toBe('/home/bob/src/')
    expect(normaliseCwd('', '/')).toBe('/')
  })
})

describe('address text', () => {
  it.each([
    ['::1', '::1'],
    ['::', '::'],
    ['2001:db8::4', '2001:db8::4'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::42:52ff:fec8:3c9', 'fe80::42:52ff:fec8:3c9'],
    ['::ffff:10.0.2.15', '::ffff:10.0.2.15'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8']
  ])('%s prints as %s', (text, want) => {
    const b = Buffer.alloc(16)
    expect(parseIpv6(text, b, 0)).toBe(true)
    expect(ipv6At(b, 0)).toBe(want)
  })

  it('renders tuples like sinsp (IPv4-mapped and all-zero IPv6 as IPv4)', () => {
    const t6 = Buffer.alloc(37)
    t6[0] = 10
    parseIpv6('::ffff:172.17.0.7', t6, 1)
    t6.writeUInt16LE(46162, 17)
    t6.writeUInt16LE(53, 35)
    expect(socktupleText(t6)).toBe('172.17.0.7:46162->0.0.0.0:53')
    expect(socktupleText(Buffer.alloc(0))).toBe('NULL')
  })
})

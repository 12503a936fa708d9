// Unit tables for the matchers behind glob/iglob, pmatch and ip/cidr comparisons.
import { describe, expect, it } from 'vitest'
import { compileGlob } from '../../src-main/engine/filter/glob'
import { canonicalIp, cidrContains, parseCidr, parseIp } from '../../src-main/engine/filter/ip'
import { compilePathPrefixes } from '../../src-main/engine/filter/pmatch'

// [pattern, text, matches]
const GLOB: [string, string, boolean][] = [
  ['*', '', true],
  ['*', '/a/b', true],
  ['?', '', false],
  ['?', 'x', true],
  ['a*', 'abc', true],
  ['*c', 'abc', true],
  ['*b*', 'abc', true],
  ['a*c', 'a/b/c', true],
  ['/home/*/.ssh/*', '/home/a/b/.ssh/c/d', true],
  ['/home/*/.ssh/*', '/home/a/.ssh', false],
  ['*.txt', '.hidden.txt', true],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['[abc]x', 'bx', true],
  ['[!abc]x', 'bx', false],
  ['[^abc]x', 'dx', true],
  ['[a-c]', 'b', true],
  ['[a-c]', 'd', false],
  ['[]]', ']', true],
  ['[', '[', true],
  ['a\\*', 'a*', true],
  ['a\\*', 'ab', false],
  ['a**b', 'ab', true],
  ['*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000), false],
  ['ABC', 'abc', false]
]

describe('glob', () => {
  it.each(GLOB)('%j ~ %j → %s', (p, s, want) => {
    expect(compileGlob(p)(s)).toBe(want)
  })
  it('iglob folds ASCII case', () => {
    expect(compileGlob('A*C', true)('abc')).toBe(true)
    expect(compileGlob('a?c', true)('ABC')).toBe(true)
    expect(compileGlob('[A-C]x', true)('bX')).toBe(true)
  })
})

// [patterns, path, matches]
const PMATCH: [string[], string, boolean][] = [
  [['/var/run'], '/var/run', true],
  [['/var/run'], '/var/run/x', true],
  [['/var/run'], '/var/running', false],
  [['/var/run'], '/var', false],
  [['/var/run/'], '/var//run', true],
  [['var/run'], '/var/run/docker.sock', true],
  [['/usr', '/usr/lib'], '/usr/bin/x', true],
  [['/etc/*/conf'], '/etc/nginx/conf/x', true],
  [['/etc/*/conf'], '/etc/nginx/other', false],
  [[], '/etc', false],
  [['/'], '/anything', true]
]

describe('pmatch', () => {
  it.each(PMATCH)('%j ~ %j → %s', (ps, s, want) => {
    expect(compilePathPrefixes(ps)(s)).toBe(want)
  })
})

// [text, canonical key or undefined]
const IPS: [string, string | undefined][] = [
  ['1.2.3.4', '1.2.3.4'],
  ['255.255.255.255', '255.255.255.255'],
  ['256.1.1.1', undefined],
  ['1.2.3', undefined],
  ['01.2.3.4', '1.2.3.4'],
  ['::1', '0:0:0:0:0:0:0:1'],
  ['::', '0:0:0:0:0:0:0:0'],
  ['2001:DB8::1', '2001:db8:0:0:0:0:0:1'],
  ['2001:db8:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:1'],
  ['::ffff:1.2.3.4', '0:0:0:0:0:ffff:102:304'],
  ['1::2::3', undefined],
  ['1:2:3:4:5:6:7:8:9', undefined],
  ['12345::', undefined],
  ['host', undefined]
]

describe('ip', () => {
  it.each(IPS)('%j → %j', (t, want) => {
    expect(canonicalIp(t)).toBe(want)
  })

  // [cidr, address, inside]
  const NETS: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.1.0/24', '192.168.1.77', true],
    ['192.168.1.128/25', '192.168.1.77', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['1.2.3.4', '1.2.3.4', true],
    ['1.2.3.4', '1.2.3.5', false],
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['fe80::/10', 'fe80::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['10.0.0.0/8', '::ffff:10.0.0.1', false]
  ]
  it.each(NETS)('%s contains %s → %s', (net, a, want) => {
    const n = parseCidr(net)
    const ip = parseIp(a)
    expect(n).toBeDefined()
    expect(ip).toBeDefined()
    if (n === undefined || ip === undefined) return
    expect(cidrContains(n, ip)).toBe(want)
  })

  it('rejects bad networks', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0/8', '::/129', 'a/8', '10.0.0.0/8/8']) {
      expect(parseCidr(bad)).toBeUndefined()
    }
  })
})

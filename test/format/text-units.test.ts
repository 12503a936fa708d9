/**
 * The small text conversions behind the renderers, against C/glibc/sinsp behaviour (expected values from
 * printf("%g"), glibc inet_ntop and sysdig 0.29.3 output).
 */
import { describe, expect, it } from 'vitest'
import {
  cFormatG,
  formatInteger,
  hex64,
  octal64,
  int64Dec,
  uint64Dec
} from '../../src-main/engine/format/c-format'
import { ipv6At } from '../../src-main/engine/format/net-text'
import { concatenatePaths, sanitizeText } from '../../src-main/engine/format/path-text'
import { flagNames } from '../../src-main/engine/format/param-render'
import { NAME_TABLES, PF } from '../../src-main/engine/format/flag-tables.generated'
import { bytebufText } from '../../src-main/engine/format/buffer-text'
import {
  absOutputTimeText,
  datetimeText,
  humanTimeText,
  iso8601Text,
  rawTimeText,
  setLocalOffsetSeconds,
  splitNs,
  timeText
} from '../../src-main/engine/format/time-text'
import * as W from '../fixtures/scap-writer'
import { decodeUtf8Escaped, encodeUtf8Escaped } from '../../src-main/engine/format/byte-text'

describe('%g', () => {
  it.each([
    [1.5, '1.5'],
    [1.23e-7, '1.23e-07'],
    [0.002, '0.002'],
    [123456, '123456'],
    [1234567, '1.23457e+06'],
    [0.0001, '0.0001'],
    [1.234e-5, '1.234e-05'],
    [1e21, '1e+21'],
    [0.1 + 0.2, '0.3'],
    [999999.5, '1e+06'],
    [9.9999995e-5, '0.0001'],
    [3600.000001, '3600'],
    [18446744073.709553, '1.84467e+10'],
    [0, '0']
  ])('%s → %s', (x, want) => {
    expect(cFormatG(x)).toBe(want)
  })
})

describe('integers', () => {
  it.each([
    ['u32 dec is PRId32', W.u32(0xffffffff), 4, false, PF.DEC, '-1'],
    ['u32 hex', W.u32(0xffffffff), 4, false, PF.HEX, 'FFFFFFFF'],
    ['u32 oct', W.u32(0o644), 4, false, PF.OCT, '0644'],
    ['u32 oct zero', W.u32(0), 4, false, PF.OCT, '0'],
    ['i8 hex promotes', W.i8(-1), 1, true, PF.HEX, 'FFFFFFFF'],
    ['u8 dec', W.u8(255), 1, false, PF.DEC, '255'],
    ['i16 dec', W.i16(-5), 2, true, PF.DEC, '-5'],
    ['u16 padded', W.u16(42), 2, false, PF.PADDED_DEC, '000000042'],
    ['u64 dec is PRId64', W.u64(0xffffffffffffffffn), 8, false, PF.DEC, '-1'],
    ['u64 hex', W.u64(0x7fad48782000n), 8, false, PF.HEX, '7FAD48782000'],
    ['i64 min', W.i64(-(1n << 63n)), 8, true, PF.DEC, '-9223372036854775808'],
    ['i64 big', W.i64(1n << 62n), 8, true, PF.DEC, '4611686018427387904']
  ])('%s', (_l, buf, size, signed, fmt, want) => {
    expect(formatInteger(buf, 0, size, signed, fmt)).toBe(want)
  })
  it('64-bit helpers', () => {
    expect(int64Dec(0xffffffff, -1)).toBe('-1')
    expect(uint64Dec(0xffffffff, 0xffffffff)).toBe('18446744073709551615')
    expect(hex64(0x1, 0x10)).toBe('1000000001')
    expect(octal64(8, 0)).toBe('010')
  })
})

describe('inet_ntop(AF_INET6)', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['::ffff:0:1', '::ffff:0.0.0.1'],
    ['0:0:0:0:0:1:0:0', '::1:0:0'],
    ['::0.0.1.0', '::100']
  ])('%s → %s', (a, want) => {
    expect(ipv6At(W.ip6(a), 0)).toBe(want)
  })
})

describe('paths', () => {
  it.each([
    ['/home/x/', 'rel/../x/./y', '/home/x/x/y', true],
    ['/home/x/', '/abs//p/', '/abs/p', false],
    ['/', '../../..', '/', true],
    ['', 'a/b', 'a/b', true],
    ['/a/', 'b\x01c', '/a/b.c', true],
    ['/a/', '.', '/a', true],
    ['/a/b/', '..', '/a', true],
    ['/t\u00e9/', 'x', '/t\u00e9/x', true],
    ['.', '/x/./y', '/x/y', false]
  ])('%s + %s → %s', (base, p, want, rel) => {
    expect(concatenatePaths(base, Buffer.from(p, 'utf8'))).toEqual({ text: want, relative: rel })
  })
  it('sanitizeText keeps printable ASCII only', () => {
    expect(sanitizeText('a\x01b\u00e9c\x7f<d>')).toBe('abc<d>')
  })
})

describe('flag walk', () => {
  const t = (name: string): NonNullable<(typeof NAME_TABLES)[string]> => NAME_TABLES[name] ?? []
  it.each([
    ['file_flags', 4097, 'O_RDONLY|O_CLOEXEC'],
    ['file_flags', 3, 'O_RDWR'],
    ['file_flags', 0, 'O_NONE'],
    ['access_flags', 0, 'F_OK'],
    ['access_flags', 6, 'R_OK|W_OK'],
    ['prot_flags', 0, 'PROT_NONE'],
    ['mmap_flags', 0, ''],
    ['socket_families', 999, 'AF_NFC'],
    ['chmod_mode', 0o100644, 'S_IROTH|S_IRGRP|S_IWUSR|S_IRUSR']
  ])('%s %i → %s', (name, v, want) => {
    expect(flagNames(t(name), v)).toBe(want)
  })
})

describe('buffers', () => {
  const data = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  it('normal: dots', () => {
    expect(bytebufText(data, 0, data.length, 'normal', 80)).toBe('GET / HTTP/1.1..Host: x....')
  })
  it('normal: cut to 80 with ...', () => {
    const long = Buffer.alloc(100, 0x61)
    expect(bytebufText(long, 0, 100, 'normal', 80)).toBe('a'.repeat(77) + '...')
    expect(bytebufText(long, 0, 100, 'normal', 0)).toBe('a'.repeat(100))
  })
  it('ascii (-A)', () => {
    expect(bytebufText(data, 0, data.length, 'ascii', 80)).toBe('\nGET / HTTP/1.1\nHost: x\n\n')
  })
  it('hex (-x) and hexascii (-X)', () => {
    const b = Buffer.from('abc')
    expect(bytebufText(b, 0, 3, 'hex', 0)).toBe('\n\t0x0000: 6162 63\n')
    expect(bytebufText(b, 0, 3, 'hexascii', 0)).toBe('\n\t0x0000: 6162 63' + ' '.repeat(6 * 5) + '  abc\n')
  })
  it('base64 (-b)', () => {
    expect(bytebufText(Buffer.from('abcd'), 0, 4, 'base64', 0)).toBe('YWJjZA==')
  })
})

describe('times', () => {
  const ts = 1470327477881730713n
  const hi = Number(ts >> 32n)
  const lo = Number(ts & 0xffffffffn)
  it('splits exactly', () => {
    expect(splitNs(hi, lo)).toEqual({ sec: 1470327477, nsec: 881730713 })
    expect(splitNs(0xffffffff, 0xffffffff)).toEqual({ sec: 18446744073, nsec: 709551615 })
    expect(rawTimeText(0xffffffff, 0xffffffff)).toBe('18446744073709551615')
  })
  it('local texts use the pinned offset', () => {
    setLocalOffsetSeconds(0)
    expect(timeText(hi, lo)).toBe('16:17:57.881730713')
    expect(datetimeText(hi, lo)).toBe('2016-08-04 16:17:57.881730713')
    setLocalOffsetSeconds(-5 * 3600)
    expect(timeText(hi, lo)).toBe('11:17:57.881730713')
    setLocalOffsetSeconds(5.5 * 3600)
    expect(datetimeText(hi, lo)).toBe('2016-08-04 21:47:57.881730713')
    setLocalOffsetSeconds(-17 * 3600)
    expect(datetimeText(hi, lo)).toBe('2016-08-03 23:17:57.881730713')
    setLocalOffsetSeconds(undefined)
  })
  it.each([
    [0, '0ns'],
    [415, '415ns'],
    [1310, '1.31us'],
    [4804, '4.80us'],
    [20610, '20us'],
    [93193, '93us'],
    [1999999, '1.99ms'],
    [25000000, '25ms'],
    [1500000000, '1.50s'],
    [125000000000, '2:5'],
    [3723000000000, '01:02:03']
  ])('human duration %i → %s', (ns, want) => {
    expect(humanTimeText(ns)).toBe(want)
  })
  it('UTC and -t a texts', () => {
    expect(iso8601Text(hi, lo)).toBe('2016-08-04T16:17:57.881730713+0000')
    const t2 = 1506127476000017052n
    expect(absOutputTimeText(Number(t2 >> 32n), Number(t2 & 0xffffffffn))).toBe('1506127476.17052')
  })
})

describe('byte-preserving UTF-8', () => {
  it('valid UTF-8 decodes as usual; invalid bytes round-trip', () => {
    const ok = Buffer.from('caf\u00e9 \u2603 \u{1F600}', 'utf8')
    expect(decodeUtf8Escaped(ok, 0, ok.length)).toBe(ok.toString('utf8'))
    const bad = Buffer.from([
      0x61, 0xff, 0x80, 0xc3, 0xa9, 0xed, 0xa0, 0x80, 0xf0, 0x90, 0x80, 0x80, 0xe2, 0x82
    ])
    const s = decodeUtf8Escaped(bad, 0, bad.length)
    expect(s).toBe('a\udcff\udc80\u00e9\udced\udca0\udc80\u{10000}\udce2\udc82')
    expect(encodeUtf8Escaped(s).equals(bad)).toBe(true)
  })
  it('round-trips random bytes', () => {
    let seed = 1
    for (let n = 0; n < 500; n++) {
      const len = n % 40
      const b = Buffer.alloc(len)
      for (let i = 0; i < len; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0
        b[i] = seed >>> 24
      }
      expect(encodeUtf8Escaped(decodeUtf8Escaped(b, 0, len)).equals(b)).toBe(true)
    }
  })
})

// Output format strings (sysdig -p, Falco output): tokens, widths, missing values, escapes, errors.
import { describe, expect, it } from 'vitest'
import { FilterError, compileOutputFormat } from '../../src-main/engine/filter/index'
import type { FormatOptions } from '../../src-main/engine/filter/index'
import type { FakeEvent } from './fake-registry'
import { fakeRegistry } from './fake-registry'

const EV: FakeEvent = {
  'proc.name': 'cat',
  'proc.pid': 20072,
  'evt.num': 131,
  'proc.aname': ['cat', 'bash', 'sshd'],
  'proc.env': { HOME: '/root' },
  'evt.args': { res: '0', fd: '3' },
  'fd.types': ['file', 'ipv4'],
  'evt.rawtime': 1700000000123456789n
}

// [format, options, expected line (null = event skipped)]
const TABLE: [string, FormatOptions, string | null][] = [
  ['%proc.name', {}, 'cat'],
  ['plain text', {}, 'plain text'],
  ['', {}, ''],
  ['%evt.num %proc.name', {}, '131 cat'],
  ['%proc.pid%proc.name', {}, '20072cat'],
  ['%proc.namex', {}, 'catx'],
  ['%proc.name)', {}, 'cat)'],
  ['%proc.name.', {}, 'cat.'],
  ['(%proc.name)', {}, '(cat)'],
  ['%10proc.name|', {}, 'cat       |'],
  ['%2proc.name|', {}, 'ca|'],
  ['%5evt.num|', {}, '131  |'],
  ['%0proc.name|', {}, 'cat|'],
  ['%proc.aname[1] %proc.aname[2]', {}, 'bash sshd'],
  ['%proc.aname', {}, 'bash sshd'],
  ['%proc.name[1]', {}, 'cat[1]'],
  ['%proc.env[HOME]', {}, '/root'],
  ['%evt.arg.res', {}, '0'],
  ['%evt.arg.res.', {}, null],
  ['%evt.arg.fd|', {}, '3|'],
  ['%evt.arg[1]', {}, '3'],
  ['%fd.types', {}, 'file ipv4'],
  ['%evt.rawtime', {}, '1700000000123456789'],
  ['%toupper(proc.name)!', {}, 'CAT!'],
  ['%len(proc.name)', {}, '3'],
  // missing values: skip the event without '*', <NA> with it (and always in Falco outputs)
  ['%proc.name %fd.name', {}, null],
  ['*%proc.name %fd.name', {}, 'cat <NA>'],
  ['*%6fd.name|', {}, '<NA>  |'],
  ['%proc.name %fd.name', { alwaysShowMissing: true }, 'cat <NA>'],
  ['%evt.arg.nope', {}, null],
  ['%proc.aname[5]', {}, null],
  ['*', {}, ''],
  ['a*b', {}, 'a*b'],
  // sysdig -p escapes
  ['a\\nb', { sysdigEscapes: true }, 'a\nb'],
  ['a\\tb', { sysdigEscapes: true }, 'a\tb'],
  ['a\\\\b', { sysdigEscapes: true }, 'a\\b'],
  ['a\\qb', { sysdigEscapes: true }, 'a\\qb'],
  ['a\\nb', {}, 'a\\nb'],
  ['x\\%proc.name', { sysdigEscapes: true }, 'x\\cat']
]

describe('formats', () => {
  it.each(TABLE)('%j %j', (fmt, opts, want) => {
    const f = compileOutputFormat(fmt, fakeRegistry, opts)
    expect(f.format(EV)).toBe(want)
  })

  it('lists its fields as written, for JSON output_fields', () => {
    const f = compileOutputFormat('%proc.name %proc.aname[2] %evt.arg.res %toupper(proc.name)', fakeRegistry)
    expect(f.fields.map((x) => [x.name, x.transformed])).toEqual([
      ['proc.name', false],
      ['proc.aname[2]', false],
      ['evt.arg.res', false],
      ['toupper(proc.name)', true]
    ])
    expect(f.fields[1]?.get(EV)).toBe('sshd')
    expect(f.showMissing).toBe(false)
  })
})

// [format, code, range start]
const ERRORS: [string, string, number][] = [
  ['x %', 'FLT_BAD_FORMAT', 2],
  ['%', 'FLT_BAD_FORMAT', 0],
  ['a%%b', 'FLT_UNKNOWN_FIELD', 1],
  ['%nope.field', 'FLT_UNKNOWN_FIELD', 0],
  ['x %proc y', 'FLT_UNKNOWN_FIELD', 2],
  ['%{proc.name}', 'FLT_UNKNOWN_FIELD', 0],
  ['%-10proc.name', 'FLT_UNKNOWN_FIELD', 0],
  ['%10', 'FLT_UNKNOWN_FIELD', 0],
  ['%fd.net', 'FLT_BAD_FORMAT', 0],
  ['%proc.aname[2', 'FLT_BAD_FORMAT', 11],
  ['%proc.aname[x]', 'FLT_BAD_FIELD_ARG', 11],
  ['%evt.arg', 'FLT_BAD_FIELD_ARG', 1],
  ['%toupper(proc.pid)', 'FLT_BAD_TRANSFORMER', 1],
  ['%toupper(proc.name', 'FLT_BAD_FORMAT', 18]
]

describe('format errors', () => {
  it.each(ERRORS)('%j → %s at %d', (fmt, code, start) => {
    let err: unknown
    try {
      compileOutputFormat(fmt, fakeRegistry)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(FilterError)
    expect((err as FilterError).code).toBe(code)
    expect((err as FilterError).range.start).toBe(start)
  })

  it('survives hostile formats', () => {
    const big = '%proc.name '.repeat(100_000)
    const f = compileOutputFormat(big, fakeRegistry)
    expect(f.format(EV)?.length).toBe(400_000)
    expect(() => compileOutputFormat('%'.repeat(100_000), fakeRegistry)).toThrow(FilterError)
    expect(() => compileOutputFormat('%99999999999999999999proc.name', fakeRegistry)).not.toThrow()
  })
})

// sysdig 0.29.3 as an oracle for what is a valid filter: on conditions where its (older) grammar and Falco's
// agree, we must accept and reject the same ones. Skipped when sysdig is not installed.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FilterError, compileFilter, compileOutputFormat } from '../../src-main/engine/filter/index'
import { SHARED, catalogRegistry } from './catalog-registry'

const SCAP = path.join(SHARED, 'corpus/files/falcosecurity__falco/test__trace_files__cat_write.scap')
const HAVE_SYSDIG = existsSync('/usr/bin/sysdig') && existsSync(SCAP)

// [condition, accepted]
const TABLE: [string, boolean][] = [
  ['proc.name=cat', true],
  ['proc.name = "cat"', true],
  ["proc.name='cat'", true],
  ['proc.name = "a\\"b"', true],
  ['proc.name contains "a b"', true],
  ['proc.name contains "\\x41"', true],
  ['proc.name in (cat, bash)', true],
  ['proc.name in(cat)', true],
  ['proc.name in ()', true],
  ['evt.type in (open, close)', true],
  ['fd.name pmatch (/etc)', true],
  ['proc.name glob c*', true],
  ['proc.name icontains CAT', true],
  ['proc.name startswith c and (fd.num >= 0 or fd.num < 0)', true],
  ['proc.name exists', true],
  ['not proc.name exists', true],
  ['proc.name exists and not fd.name exists', true],
  ['not(proc.name=cat)', true],
  ['proc.name=cat and(proc.pid>1)', true],
  ['proc.name = cat or not proc.name = cat', true],
  ['proc.name != cat', true],
  ['proc.name = <NA>', true],
  ['fd.name = <NA>', true],
  ['proc.name=runc:[1:CHILD]', true],
  ['proc.pid=-1', true],
  ['proc.pid > -5', true],
  ['fd.sip = 1.2.3.4', true],
  ['fd.net = "10.0.0.0/8"', true],
  ['fd.connected = true', true],
  ['proc.aname[2] = bash', true],
  ['proc.aname = bash', true],
  ['evt.arg[0] exists', true],
  ['evt.arg.fd exists', true],
  ['proc.name=cat\n\tand\tproc.pid>0', true],
  ['(', false],
  ['(proc.name=cat', false],
  ['proc.name=cat)', false],
  ['proc.name=cat and', false],
  ['proc.name=cat or', false],
  ['not', false],
  ['proc.name = a b', false],
  ['proc.name = "a b', false],
  ['proc.name contains "', false],
  ['proc.name in (a,', false],
  ['proc.name in (cat', false],
  ['proc.pid > abc', false],
  ['proc.pid = abc', false],
  ['proc.pid = 12abc', false],
  ['proc.pid = 1.5', false],
  ['proc.pid=0x1', false],
  ['evt.num < 1e3', false],
  ['fd.sip = 1.2.3', false],
  ['fd.net = 10.0.0.0/33', false],
  ['fd.connected = yes', false],
  ['proc.nope = 1', false],
  ['a and b', false],
  ['proc.name regexp x', false],
  ['proc.name anyof (a)', false]
]

function sysdigAccepts(cond: string): boolean {
  const r = spawnSync('/usr/bin/sysdig', ['-r', SCAP, cond], { encoding: 'utf8', timeout: 60_000 })
  return r.status === 0 && !r.stderr.includes('error')
}

function weAccept(cond: string): boolean {
  try {
    compileFilter(cond, catalogRegistry())
    return true
  } catch (e) {
    if (e instanceof FilterError) return false
    throw e
  }
}

describe.skipIf(!HAVE_SYSDIG)('agrees with sysdig 0.29.3 on accept/reject', () => {
  it.each(TABLE)('%j → %s', (cond, accepted) => {
    expect(sysdigAccepts(cond)).toBe(accepted)
    expect(weAccept(cond)).toBe(accepted)
  })
})

// [-p format, accepted]
const FORMATS: [string, boolean][] = [
  ['%proc.name', true],
  ['*%proc.name %fd.name', true],
  ['%proc.namex', true],
  ['%proc.name)', true],
  ['%10proc.name|', true],
  ['%proc.aname[1]', true],
  ['%evt.arg[0]', true],
  ['%evt.arg.fd', true],
  ['%proc.pid%proc.name', true],
  ['plain text', true],
  ['%{proc.name}', false],
  ['%-10proc.name', false],
  ['a%%b', false],
  ['x %', false],
  ['%nope.field', false],
  ['%proc', false]
]

function sysdigAcceptsFormat(fmt: string): boolean {
  const r = spawnSync('/usr/bin/sysdig', ['-r', SCAP, '-n', '1', '-p', fmt], {
    encoding: 'utf8',
    timeout: 60_000
  })
  return r.status === 0 && !/invalid|error/i.test(r.stderr)
}

function weAcceptFormat(fmt: string): boolean {
  try {
    compileOutputFormat(fmt, catalogRegistry(), { sysdigEscapes: true })
    return true
  } catch (e) {
    if (e instanceof FilterError) return false
    throw e
  }
}

describe.skipIf(!HAVE_SYSDIG)('agrees with sysdig 0.29.3 on -p formats', () => {
  it.each(FORMATS)('%j → %s', (fmt, accepted) => {
    expect(sysdigAcceptsFormat(fmt)).toBe(accepted)
    expect(weAcceptFormat(fmt)).toBe(accepted)
  })
})

// sysdig 0.29.3 as an oracle for what is a valid filter: on conditions where its (older) grammar and Falco's
// agree, we must accept and reject the same ones. Skipped when sysdig is not installed.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import type { MacroDef } from '../../src-main/engine/filter/index'
import {
  FilterError,
  compileFilter,
  compileOutputFormat,
  expandMacros,
  parseCondition,
  printCondition,
  substituteLists
} from '../../src-main/engine/filter/index'
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

// The official rules, lists substituted and macros expanded, printed by printCondition: sysdig 0.29.3 must
// accept the text, except where it lacks a field or operator that is newer than it, or refuses an empty
// list on an IP field (`fd.sip in ()`, from an empty list; newer libs accept it).
const NEWER_THAN_SYSDIG =
  /unrecognized field|expected '\(' after 'in\/intersects\/pmatch'|unrecognized comparison operator|unrecognized IPv6 address/

describe.skipIf(!HAVE_SYSDIG)('sysdig 0.29.3 accepts printed official rules', () => {
  const rel = 'falco-0.32.2/falco_rules.yaml'
  const items = yaml.load(readFileSync(path.join(SHARED, 'falco-rules', rel), 'utf8'), {
    schema: yaml.FAILSAFE_SCHEMA
  }) as Record<string, unknown>[]
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const raw = new Map<string, string[]>()
  for (const i of items) {
    const name = str(i.list)
    if (name !== undefined) raw.set(name, Array.isArray(i.items) ? (i.items as string[]) : [])
  }
  const lists = new Map<string, string[]>()
  for (const [n, its] of raw)
    lists.set(
      n,
      its.flatMap((x) => raw.get(x) ?? [x])
    )
  const macros = new Map<string, MacroDef>()
  for (const i of items) {
    const name = str(i.macro)
    const cond = str(i.condition)
    if (name !== undefined && cond !== undefined) {
      const s = substituteLists(cond, lists)
      macros.set(name, { ast: parseCondition(s), source: s })
    }
  }
  const rules: [string, string][] = []
  for (const i of items) {
    const name = str(i.rule)
    const cond = str(i.condition)
    if (name === undefined || cond === undefined) continue
    const s = substituteLists(cond, lists)
    rules.push([name, printCondition(expandMacros(parseCondition(s), s, (n) => macros.get(n)))])
  }

  it('every printed rule parses in sysdig, bar newer fields/operators', () => {
    let ok = 0
    const syntaxErrors: string[] = []
    for (const [name, text] of rules) {
      const r = spawnSync('/usr/bin/sysdig', ['-r', SCAP, text], { encoding: 'utf8', timeout: 60_000 })
      if (r.status === 0) ok++
      else if (!NEWER_THAN_SYSDIG.test(r.stderr) && !text.includes(`\\"require('nan')\\"`)) {
        syntaxErrors.push(`${name}: ${r.stderr.trim()}`)
      }
    }
    expect(syntaxErrors).toEqual([])
    expect(rules.length).toBe(72)
    expect(ok).toBeGreaterThanOrEqual(65)
  })
})

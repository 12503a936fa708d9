// Loader semantics that Falco's own tests do not pin (FALCO_RULES.md §1.4–1.6, §2.5, §3.6): textual list
// substitution quirks, one-level list-in-list, macro visibility, override append/replace per key, redefinition
// keeping the first position, exception clauses. Table: rules text → expanded condition of a rule, or error.
import { describe, expect, test } from 'vitest'
import { printCondition } from '../../src-main/engine/filter/print'
import { loadRules } from '../../src-main/engine/rules/loader/load-rules'
import type { LoadResult } from '../../src-main/engine/rules/loader/load-rules'
import { loadWithFields } from './scan-helpers'

function load(...texts: string[]): LoadResult {
  return loadRules(
    texts.map((t, i) => ({ name: `f${String(i)}.yaml`, text: t })),
    { isFieldDefined: () => true, knownSources: ['syscall'] }
  )
}

const rule = (name: string, cond: string, extra = ''): string =>
  `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: INFO\n${extra}`

function expanded(r: LoadResult, name: string): string {
  const x = r.rules.find((y) => y.def.name === name)
  if (x === undefined) throw new Error(`no rule ${name}: ${r.diagnostics.map((d) => d.message).join('; ')}`)
  return printCondition(x.ast)
}

const EXPANSIONS: [what: string, files: string[], ruleName: string, want: string][] = [
  [
    'lists inside lists are expanded one level only (C=[B], B=[A] gives the literal A)',
    [
      `- list: A\n  items: [x]\n- list: B\n  items: [A]\n- list: C\n  items: [B]\n` +
        rule('r', 'proc.name in (C)')
    ],
    'r',
    'proc.name in (A)'
  ],
  [
    'a later list whose name appears in substituted text is substituted too (textual, in list order)',
    [`- list: C\n  items: [B]\n- list: B\n  items: [y]\n` + rule('r', 'proc.name in (C)')],
    'r',
    'proc.name in (y)'
  ],
  [
    'an empty list removes one adjacent comma',
    [`- list: E\n  items: []\n` + rule('r', 'proc.name in (a, E, b)')],
    'r',
    'proc.name in (a, b)'
  ],
  [
    'substitution happens inside quoted strings too',
    [`- list: L\n  items: [z]\n` + rule('r', 'proc.cmdline = "x L y"')],
    'r',
    'proc.cmdline = "x z y"'
  ],
  [
    'items with a space are quoted',
    [`- list: L\n  items: [a b, "'c d'"]\n` + rule('r', 'proc.cmdline in (L)')],
    'r',
    'proc.cmdline in ("a b", "c d")'
  ],
  [
    'a macro redefined later replaces it everywhere, also for rules defined before',
    [
      `- macro: m\n  condition: proc.name = a\n` + rule('r', 'evt.type = open and m'),
      `- macro: m\n  condition: proc.name = b\n`
    ],
    'r',
    'evt.type = open and (proc.name = b)'
  ],
  [
    'macro append concatenates text (precedence of the whole string)',
    [
      `- macro: m\n  condition: proc.name = a\n- macro: m\n  condition: or proc.name = b\n  override:\n    condition: append\n` +
        rule('r', 'evt.type = open and m')
    ],
    'r',
    'evt.type = open and (proc.name = a or proc.name = b)'
  ],
  [
    'rule override: condition append, output replace',
    [
      rule('r', 'evt.type = open'),
      `- rule: r\n  condition: and proc.name = x\n  output: new\n  override:\n    condition: append\n    output: replace\n`
    ],
    'r',
    'evt.type = open and proc.name = x'
  ],
  [
    'exceptions appended by a later file (values of an existing exception)',
    [
      rule(
        'r',
        'evt.type = open',
        '  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      comps: [=, in]\n      values:\n        - [a, /tmp]\n'
      ),
      '- rule: r\n  exceptions:\n    - name: e\n      values:\n        - [b, [/x, /y]]\n  override:\n    exceptions: append\n'
    ],
    'r',
    'evt.type = open and not ((proc.name = a and fd.name in (/tmp)) or (proc.name = b and fd.name in (/x, /y)))'
  ]
]

describe('expansion table', () => {
  test.each(EXPANSIONS)('%s', (_what, files, name, want) => {
    const r = load(...files)
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(expanded(r, name)).toBe(want)
  })
})

const ERRORS: [what: string, files: string[], code: string, message: RegExp][] = [
  [
    'a macro may not use a macro defined after it',
    ['- macro: a\n  condition: b\n- macro: b\n  condition: proc.name = x\n' + rule('r', 'a')],
    'LOAD_ERR_VALIDATE',
    /Undefined macro 'b'/
  ],
  [
    'an override key must be present in the item',
    [rule('r', 'evt.type = open'), '- rule: r\n  override:\n    output: replace\n'],
    'LOAD_ERR_VALIDATE',
    /'output' was specified but 'output' is not defined/
  ],
  [
    'priority cannot be appended',
    [rule('r', 'evt.type = open'), '- rule: r\n  priority: ERROR\n  override:\n    priority: append\n'],
    'LOAD_ERR_VALIDATE',
    /cannot be appended to, use 'replace'/
  ],
  [
    'a key present without an override entry',
    [rule('r', 'evt.type = open'), '- rule: r\n  desc: x\n  output: y\n  override:\n    desc: replace\n'],
    'LOAD_ERR_VALIDATE',
    /Unexpected key 'output'/
  ],
  [
    'override of a rule that does not exist',
    ['- rule: r\n  desc: x\n  override:\n    desc: replace\n'],
    'LOAD_ERR_VALIDATE',
    /no rule by that name already exists/
  ],
  [
    'invalid priority',
    [rule('r', 'evt.type = open').replace('INFO', 'LOUD')],
    'LOAD_ERR_VALIDATE',
    /Invalid priority/
  ],
  [
    'unknown event type',
    [rule('r', 'evt.type = opne')],
    'LOAD_ERR_COMPILE_CONDITION',
    /unknown event type opne/
  ],
  [
    'disabled rules are compiled too',
    [rule('r', 'evt.type = open and (', '  enabled: false\n')],
    'LOAD_ERR_COMPILE_CONDITION',
    /./
  ],
  [
    'append and override together',
    [
      rule('r', 'evt.type = open'),
      '- rule: r\n  condition: x\n  append: true\n  override:\n    condition: append\n'
    ],
    'LOAD_ERR_VALIDATE',
    /cannot be used together/
  ]
]

describe('error table', () => {
  test.each(ERRORS)('%s', (_what, files, code, message) => {
    const r = load(...files)
    const errors = r.diagnostics.filter((d) => d.severity === 'error')
    expect(errors.length).toBe(1)
    expect(errors[0]?.code).toBe(code)
    expect(errors[0]?.message).toMatch(message)
    expect(r.ok).toBe(false)
  })
})

describe('order and warnings', () => {
  test('a redefined rule keeps its first position (matters for first-match)', () => {
    const r = load(rule('a', 'evt.type = open') + rule('b', 'evt.type = open'), rule('a', 'evt.type = close'))
    expect(r.rules.map((x) => x.def.name)).toEqual(['a', 'b'])
    expect(expanded(r, 'a')).toBe('evt.type = close')
  })

  test('unknown keys, unused lists/macros, deprecated append warn with file:line:col', () => {
    const r = load(
      '- list: L\n  items: [a]\n  colour: red\n- macro: m\n  condition: proc.name = x\n' +
        rule('r', 'evt.type = open'),
      '- list: L\n  items: [b]\n  append: true\n'
    )
    const got = r.diagnostics.map(
      (d) => `${d.code} ${d.itemName} ${d.file}:${String(d.pos?.line)}:${String(d.pos?.col)}`
    )
    expect(got).toEqual([
      'LOAD_UNKNOWN_KEY L f0.yaml:3:3',
      'LOAD_DEPRECATED_ITEM L f1.yaml:3:3',
      'LOAD_UNUSED_MACRO m f0.yaml:4:3',
      'LOAD_UNUSED_LIST L f0.yaml:1:3'
    ])
    expect(r.collected.lists.get('L')?.items).toEqual(['a', 'b'])
  })

  test('YAML scalars stay strings (true, yes, 0080 are list items, not booleans or numbers)', () => {
    const r = load('- list: L\n  items: [true, yes, 0080, ~]\n' + rule('r', 'proc.name in (L)'))
    expect(r.collected.lists.get('L')?.items).toEqual(['true', 'yes', '0080', '~'])
  })

  test('evt.type inference: and/or/not, evt.num=0 matches nothing, != is the complement', () => {
    const r = load(
      rule('a', 'evt.type in (open, openat) and proc.name = x') +
        rule('b', 'evt.type = open and evt.num = 0') +
        rule('c', 'not evt.type = open', '  warn_evttypes: false\n') +
        rule('d', '(evt.type = open or evt.type = close) and not evt.type = close')
    )
    const names = (n: string): number =>
      r.rules.find((x) => x.def.name === n)?.codes.reduce((s, b) => s + b, 0) ?? -1
    expect(names('b')).toBe(0)
    expect(names('a')).toBeGreaterThan(0)
    expect(names('c')).toBeGreaterThan(100)
    expect(names('d')).toBe(2)
  })
})

describe('hostile rules files never crash or hang', () => {
  const laughs =
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' +
    Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`
    ).join('\n')
  const CASES: [string, string, string][] = [
    [
      'alias bomb (billion laughs)',
      `- list: L\n  items: &x [a]\n- ${laughs.split('\n').join('\n  ')}\n`,
      'LOAD_ERR_YAML_PARSE'
    ],
    [
      'deep nesting',
      '- list: L\n  items: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n',
      'LOAD_ERR_YAML_PARSE'
    ],
    ['HTML text', '<html><script>alert(1)</script></html>', 'LOAD_ERR_YAML_VALIDATE'],
    ['binary garbage', '\u0000\u0001\u0002\u00ff\ufffd{{{', 'LOAD_ERR_YAML_PARSE'],
    ['truncated item', '- rule: r\n  desc: d\n  condition: evt.type = open and (', 'LOAD_ERR_YAML_VALIDATE'],
    [
      'condition with a script tag',
      rule('r', 'proc.name = "<script>alert(1)</script>" and ('),
      'LOAD_ERR_COMPILE_CONDITION'
    ]
  ]
  test.each(CASES)('%s', (_what, text, code) => {
    const r = load(text)
    expect(r.ok).toBe(false)
    expect(r.diagnostics.find((d) => d.severity === 'error')?.code).toBe(code)
  })

  test('a list used many times stays bounded by the condition size limit', () => {
    const items = Array.from({ length: 20000 }, (_, i) => `item${String(i)}`).join(', ')
    const cond = Array.from({ length: 300 }, () => 'proc.name in (L)').join(' or ')
    const r = load(`- list: L\n  items: [${items}]\n` + rule('r', cond))
    expect(r.ok).toBe(false)
    expect(r.diagnostics.find((d) => d.severity === 'error')?.code).toBe('LOAD_ERR_COMPILE_CONDITION')
  })
})

describe('warnings that need the field registry', () => {
  test("an unquoted constant that names a field warns (Falco's LOAD_COMPILE_CONDITION)", () => {
    const r = loadWithFields([
      {
        name: 'w.yaml',
        text: rule('r', 'evt.type = execve and proc.name = proc.pname and fd.name in (fd.directory, x)')
      }
    ])
    expect(r.ok).toBe(true)
    expect(r.diagnostics.filter((d) => d.code === 'LOAD_COMPILE_CONDITION').map((d) => d.message)).toEqual([
      "string 'proc.pname' may be a valid field wrongly interpreted as a string value",
      "string 'fd.directory' may be a valid field wrongly interpreted as a string value"
    ])
    const quoted = loadWithFields([
      { name: 'w.yaml', text: rule('r', 'evt.type = execve and proc.name = "proc.pname"') }
    ])
    expect(quoted.diagnostics).toEqual([])
  })
})

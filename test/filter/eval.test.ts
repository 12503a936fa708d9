// Evaluation semantics (FALCO_RULES.md §3.3–3.5) over a fake registry: condition × event → expected.
import { describe, expect, it } from 'vitest'
import { FilterError, compileFilter, parseCondition as parse } from '../../src-main/engine/filter/index'
import type { FakeEvent } from './fake-registry'
import { fakeRegistry } from './fake-registry'

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

const EV: Record<string, FakeEvent> = {
  // a process with an open file
  open: {
    'evt.type': 'openat',
    'evt.num': 7,
    'evt.res': 'SUCCESS',
    'evt.rawres': 3,
    'proc.name': 'Bash',
    'proc.cmdline': 'bash -c "cat /etc/shadow"',
    'proc.pid': 42,
    'proc.pname': 'sshd',
    'proc.aname': ['Bash', 'sshd', 'systemd'],
    'proc.env': { HOME: '/root', LANG: 'C' },
    'fd.name': '/etc/shadow',
    'fd.types': ['file', 'ipv4'],
    'evt.args': { fd: '3', name: '/etc/shadow', flags: 'O_RDONLY|O_CLOEXEC' },
    'evt.rawtime': 1700000000123456789n,
    'proc.duration': 5_000_000_000
  },
  // a connected socket
  sock: {
    'evt.type': 'connect',
    'evt.num': 9,
    'evt.res': 'EINPROGRESS',
    'evt.rawres': -115,
    'proc.name': 'curl',
    'proc.pid': 7,
    'proc.aname': ['curl'],
    'fd.name': '10.0.0.5:40000->93.184.216.34:443',
    'fd.sip': '93.184.216.34',
    'fd.snet': '93.184.216.34',
    'fd.ip': ['10.0.0.5', '93.184.216.34'],
    'fd.net': ['10.0.0.5', '93.184.216.34'],
    'fd.port': [40000, 443],
    'fd.sport': 443,
    'fd.connected': true,
    'fd.types': ['ipv4'],
    'evt.buffer': bytes('GET /\xca\xfe\xba\xbe rest')
  },
  // an IPv6 socket
  sock6: {
    'evt.type': 'connect',
    'proc.name': 'ssh',
    'fd.sip': '2001:db8::1',
    'fd.ip': ['::1', '2001:db8::1'],
    'fd.net': ['::1', '2001:db8::1'],
    'fd.port': [22]
  },
  // nothing known
  empty: {}
}

// [condition, event, expected]
const TABLE: [string, keyof typeof EV, boolean][] = [
  // equality and case sensitivity
  ['proc.name = Bash', 'open', true],
  ['proc.name = bash', 'open', false],
  ['proc.name == Bash', 'open', true],
  ['proc.name != bash', 'open', true],
  ['proc.name icontains bAS', 'open', true],
  ['proc.name contains bas', 'open', false],
  ['proc.name contains ""', 'open', true],
  ['proc.name startswith ""', 'open', true],
  ['proc.name startswith Ba', 'open', true],
  ['proc.name endswith sh', 'open', true],
  ["proc.cmdline contains 'cat /etc'", 'open', true],
  ['proc.cmdline = "bash -c \\"cat /etc/shadow\\""', 'open', true],
  // missing value: false whatever the operator; not of it is true
  ['proc.name != x', 'empty', false],
  ['proc.name = x', 'empty', false],
  ['not proc.name = x', 'empty', true],
  ['not proc.name != x', 'empty', true],
  ['proc.name exists', 'empty', false],
  ['not proc.name exists', 'empty', true],
  ['fd.sip = 1.2.3.4', 'open', false],
  ['fd.sip != 1.2.3.4', 'open', false],
  ['proc.pid < 100', 'empty', false],
  ['proc.pid in (1, 42)', 'empty', false],
  ['proc.name in ()', 'open', false],
  ['fd.name pmatch (/etc)', 'empty', false],
  // in / intersects on strings
  ['proc.name in (sh, Bash, zsh)', 'open', true],
  ['proc.name in (sh, bash)', 'open', false],
  ['proc.name intersects (Bash)', 'open', true],
  ['proc.name in Bash', 'open', true],
  ['proc.name in ("Bash")', 'open', true],
  // numbers
  ['proc.pid = 42', 'open', true],
  ['proc.pid > 41 and proc.pid < 43 and proc.pid >= 42 and proc.pid <= 42', 'open', true],
  ['proc.pid != 42', 'open', false],
  ['proc.pid in (1, 2, 42)', 'open', true],
  ['proc.pid in (1, 2)', 'open', false],
  ['evt.rawres < 0', 'sock', true],
  ['evt.rawres >= 0', 'open', true],
  ['evt.rawres = -115', 'sock', true],
  ['evt.num > 8', 'sock', true],
  ['evt.rawtime > 1700000000123456788', 'open', true],
  ['evt.rawtime = 1700000000123456789', 'open', true],
  ['evt.rawtime < 1700000000123456789', 'open', false],
  ['evt.rawtime in (1, 1700000000123456789)', 'open', true],
  ['proc.duration > 4000000000', 'open', true],
  // string compared with a number-looking value stays a string compare (evt.res != -1)
  ['evt.res != -1', 'open', true],
  ['evt.res = SUCCESS', 'open', true],
  // bool
  ['fd.connected = true', 'sock', true],
  ['fd.connected = false', 'sock', false],
  ['fd.connected != false', 'sock', true],
  // glob (fnmatch without FNM_PATHNAME: * crosses slashes)
  ["fd.name glob '/etc/*'", 'open', true],
  ["fd.name glob '/e*/sh?dow'", 'open', true],
  ["fd.name glob '/etc/[st]hadow'", 'open', true],
  ["fd.name glob '/etc/[!s]hadow'", 'open', false],
  ["fd.name glob '/*shadow'", 'open', true],
  ['fd.name glob /ETC/*', 'open', false],
  ['fd.name iglob /ETC/*', 'open', true],
  // regex: full match
  ['fd.name regex "/etc/s.*"', 'open', true],
  ['fd.name regex "etc"', 'open', false],
  ['fd.name regex "/[a-z]+/[a-z]+"', 'open', true],
  ['fd.name regex "/etc/(passwd|shadow)"', 'open', true],
  ['fd.name regex "/etc/\\\\w+"', 'open', true],
  ['fd.name regex "/etc/\\\\d+"', 'open', false],
  // pmatch: component prefixes
  ['fd.name pmatch (/etc)', 'open', true],
  ['fd.name pmatch (/et)', 'open', false],
  ['fd.name pmatch (/etc/shadow/more)', 'open', false],
  ['fd.name pmatch (/usr, /etc/)', 'open', true],
  ['fd.name pmatch (/e*/shadow)', 'open', true],
  // modifiers
  ['proc.name startswith anyof (x, Ba)', 'open', true],
  ['proc.name startswith allof (B, Ba)', 'open', true],
  ['proc.name startswith allof (B, x)', 'open', false],
  ['proc.name startswith oneof (B, Ba)', 'open', false],
  ['proc.name startswith oneof (B, x)', 'open', true],
  // ancestors: any ancestor; [n] one of them
  ['proc.aname = systemd', 'open', true],
  ['proc.aname = Bash', 'open', false],
  ['proc.aname[0] = Bash', 'open', true],
  ['proc.aname[2] = systemd', 'open', true],
  ['proc.aname[3] = systemd', 'open', false],
  ['proc.aname[3] != systemd', 'open', false],
  ['proc.aname != sshd', 'open', true],
  ['proc.aname exists', 'sock', false],
  ['proc.aname in (init, sshd)', 'open', true],
  // either-endpoint fields
  ['fd.ip = 10.0.0.5', 'sock', true],
  ['fd.ip = 93.184.216.34', 'sock', true],
  ['fd.ip != 10.0.0.5', 'sock', false],
  ['fd.ip != 1.1.1.1', 'sock', true],
  ['fd.ip != "0.0.0.0"', 'sock', true],
  ['fd.port = 443', 'sock', true],
  ['fd.port in (80, 443)', 'sock', true],
  ['fd.port != 443', 'sock', false],
  ['fd.port > 40000', 'sock', false],
  ['fd.port >= 40000', 'sock', true],
  ['fd.net = 10.0.0.0/8', 'sock', true],
  ['fd.net != "127.0.0.0/8"', 'sock', true],
  ['fd.net in ("192.168.0.0/16", "172.16.0.0/12")', 'sock', false],
  ['fd.snet in ("10.0.0.0/8", "93.184.0.0/16")', 'sock', true],
  ['fd.snet = 93.184.216.34', 'sock', true],
  ['fd.snet = 93.184.216.35', 'sock', false],
  ['fd.ip = ::1', 'sock6', true],
  ['fd.ip = "0:0:0:0:0:0:0:1"', 'sock6', true],
  ['fd.net = "2001:db8::/32"', 'sock6', true],
  ['fd.net = 10.0.0.0/8', 'sock6', false],
  ['fd.net != 10.0.0.0/8', 'sock6', true],
  ['fd.sip = 2001:db8:0::1', 'sock6', true],
  ['fd.sip = 93.184.216.34', 'sock', true],
  ['fd.sip in (1.1.1.1, 93.184.216.34)', 'sock', true],
  // real list fields: in = all elements, intersects = any
  ['fd.types in (file, ipv4, unix)', 'open', true],
  ['fd.types in (file)', 'open', false],
  ['fd.types intersects (file)', 'open', true],
  ['fd.types intersects (unix)', 'open', false],
  // bytes
  ['evt.buffer bcontains cafebabe', 'sock', true],
  ['evt.buffer bcontains CAFEBABF', 'sock', false],
  ['evt.buffer bstartswith 474554', 'sock', true],
  ['evt.buffer contains "GET"', 'sock', true],
  ['evt.buffer startswith GET', 'sock', true],
  // bracket arguments and evt.arg
  ['proc.env[HOME] = /root', 'open', true],
  ['proc.env[NOPE] exists', 'open', false],
  ['proc.env contains "LANG=C"', 'open', true],
  ['evt.arg.flags contains O_CLOEXEC', 'open', true],
  ['evt.arg.nope exists', 'open', false],
  ['evt.arg[1] = /etc/shadow', 'open', true],
  ['evt.arg.name = val(evt.arg[1])', 'open', true],
  ["evt.arg['flags'] startswith O_RDONLY", 'open', true],
  // transformers and field-vs-field
  ['tolower(proc.name) = bash', 'open', true],
  ['toupper(proc.name) = BASH', 'open', true],
  ['basename(fd.name) = shadow', 'open', true],
  ['len(proc.name) = 4', 'open', true],
  ['len(fd.types) = 2', 'open', true],
  ['tolower(toupper(proc.name)) = bash', 'open', true],
  ['len(proc.name) > 3', 'open', true],
  ['proc.name = val(proc.pname)', 'open', false],
  ['proc.name != val(proc.pname)', 'open', true],
  ['proc.pname = val(proc.pname)', 'open', true],
  ['proc.name = val(proc.pname)', 'empty', false],
  ['proc.name != val(proc.pname)', 'sock', false],
  ['tolower(proc.name) != tolower(proc.pname)', 'open', true],
  ['toupper(proc.pname) = toupper(proc.pname)', 'open', true],
  ['proc.pid > val(evt.rawres)', 'open', true],
  ['proc.name in val(proc.pname)', 'open', false],
  // boolean structure, precedence, short-circuit
  ['proc.name = Bash and proc.pid = 42', 'open', true],
  ['proc.name = Bash and proc.pid = 1', 'open', false],
  ['proc.name = x or proc.pid = 42', 'open', true],
  ['proc.name = x or proc.pid = 1 and proc.name = Bash', 'open', false],
  ['not proc.name = x and proc.pid = 42', 'open', true],
  ['not (proc.name = Bash and proc.pid = 42)', 'open', false],
  ['not not proc.name = Bash', 'open', true],
  ['not(proc.name = x)', 'open', true],
  ['(proc.name = x) or(proc.pid = 42)', 'open', true],
  ['((((proc.pid = 42))))', 'open', true]
]

describe('evaluation', () => {
  it.each(TABLE)('%s on %s → %s', (cond, ev, expected) => {
    const f = compileFilter(cond, fakeRegistry)
    expect(f(EV[ev] ?? {})).toBe(expected)
  })
})

describe('macros', () => {
  it('expands macros as groups, precedence inside preserved', () => {
    const macros: Record<string, string> = {
      is_x: 'proc.name = x or proc.pid = 42',
      shell: 'proc.name in (Bash, sh)',
      both: 'shell and is_x',
      never_true: '(evt.num=0)'
    }
    const lookup = (n: string): { ast: ReturnType<typeof parse>; source: string } | undefined => {
      const t = macros[n]
      return t === undefined ? undefined : { ast: parse(t), source: t }
    }
    const run = (c: string): boolean => compileFilter(c, fakeRegistry, { macros: lookup })(EV.open ?? {})
    expect(run('is_x and proc.name = Bash')).toBe(true)
    expect(run('not is_x')).toBe(false)
    expect(run('both')).toBe(true)
    expect(run('both and not never_true')).toBe(true)
    expect(run('never_true')).toBe(false)
  })
})

// [condition, error code, range start]
const COMPILE_ERRORS: [string, string, number][] = [
  ['proc.nope = 1', 'FLT_UNKNOWN_FIELD', 0],
  ['proc.name = a and prc.name = b', 'FLT_UNKNOWN_FIELD', 18],
  ['proc.pid = abc', 'FLT_BAD_VALUE', 11],
  ['proc.pid = 1.5', 'FLT_BAD_VALUE', 11],
  ['proc.pid = 0x10', 'FLT_BAD_VALUE', 11],
  ['evt.num = -1', 'FLT_BAD_VALUE', 10],
  ['evt.num = 18446744073709551616', 'FLT_BAD_VALUE', 10],
  ['fd.sport = 70000', 'FLT_BAD_VALUE', 11],
  ['proc.pid contains 4', 'FLT_BAD_OPERATOR', 9],
  ['proc.pid glob 4*', 'FLT_BAD_OPERATOR', 9],
  ['fd.connected = yes', 'FLT_BAD_VALUE', 15],
  ['fd.connected > 1', 'FLT_BAD_OPERATOR', 13],
  ['fd.sip = 1.2.3', 'FLT_BAD_VALUE', 9],
  ['fd.sip = 10.0.0.0/8', 'FLT_BAD_VALUE', 9],
  ['fd.sip contains 10', 'FLT_BAD_OPERATOR', 7],
  ['fd.net = 10.0.0.0/33', 'FLT_BAD_VALUE', 9],
  ['fd.net = "a.b/8"', 'FLT_BAD_VALUE', 9],
  ['proc.name bcontains 41', 'FLT_BAD_OPERATOR', 10],
  ['evt.buffer bcontains xyz', 'FLT_BAD_VALUE', 21],
  ['evt.buffer bcontains abc', 'FLT_BAD_VALUE', 21],
  ['fd.types = file', 'FLT_BAD_OPERATOR', 9],
  ['fd.name regex "("', 'FLT_BAD_VALUE', 14],
  ['fd.name regex "(a+)+b"', 'FLT_BAD_VALUE', 14],
  ['fd.name regex "(a*)*b"', 'FLT_BAD_VALUE', 14],
  ['fd.name regex "(\\\\w+\\\\s?){1,}x"', 'FLT_BAD_VALUE', 14],
  ['fd.name regex "(a)\\\\1"', 'FLT_BAD_VALUE', 14],
  ['fd.name regex "(?=a)a"', 'FLT_BAD_VALUE', 14],
  ['proc.pid pmatch (/a)', 'FLT_BAD_OPERATOR', 9],
  ['proc.aname[x] = a', 'FLT_BAD_FIELD_ARG', 10],
  ['proc.name[1] = a', 'FLT_BAD_FIELD_ARG', 9],
  ['evt.arg exists', 'FLT_BAD_FIELD_ARG', 0],
  ['evt.arg.name[0] exists', 'FLT_BAD_FIELD_ARG', 12],
  ['proc.name.x = a', 'FLT_UNKNOWN_FIELD', 0],
  ['proc.aname.x = a', 'FLT_BAD_FIELD_ARG', 11],
  ['tolower(proc.pid) = 1', 'FLT_BAD_TRANSFORMER', 0],
  ['tolower(fd.ip) = a', 'FLT_BAD_TRANSFORMER', 0],
  ['proc.name = val(proc.pid)', 'FLT_BAD_OPERATOR', 12],
  ['fd.ip = val(fd.sip)', 'FLT_BAD_OPERATOR', 0],
  ['fd.name pmatch val(proc.name)', 'FLT_BAD_OPERATOR', 8],
  ['proc.name = "a\\x00b"', 'FLT_BAD_VALUE', 12],
  ['evt.type = "open at"', 'FLT_BAD_VALUE', 11],
  ['undefined_macro', 'FLT_UNDEFINED_MACRO', 0],
  ['proc.name = a and not some_macro', 'FLT_UNDEFINED_MACRO', 22]
]

describe('compile errors', () => {
  it.each(COMPILE_ERRORS)('%s → %s at %d', (cond, code, start) => {
    let err: unknown
    try {
      compileFilter(cond, fakeRegistry)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(FilterError)
    const fe = err as FilterError
    expect(fe.code).toBe(code)
    expect(fe.range.start).toBe(start)
    expect(fe.excerpt.split('\n')[1]?.indexOf('^')).toBe(start)
  })

  it('reports errors inside a macro against the macro text', () => {
    const src = 'proc.name = a or proc.pid = zz'
    try {
      compileFilter('proc.pid = 1 and m', fakeRegistry, {
        macros: (n) => (n === 'm' ? { ast: parse(src), source: src } : undefined)
      })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(FilterError)
      const fe = e as FilterError
      expect(fe.code).toBe('FLT_BAD_VALUE')
      expect(fe.macro).toBe('m')
      expect(fe.range.start).toBe(28)
      expect(fe.excerpt).toContain('proc.pid = zz')
    }
  })
})

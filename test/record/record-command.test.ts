// Records small commands live and checks, with sysdig 0.29.3 as the oracle, that the file reads without
// error and shows the expected events with the right process, fd and socket attribution.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  FIELDS,
  liveSkipReason,
  parseSummary,
  recordCommand,
  sysdig,
  titleWithSkip,
  walkBlocks
} from './record-env'

const skip = liveSkipReason()
const dir = mkdtempSync(join(tmpdir(), 'pg-record-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const PORT = 20000 + (process.pid % 20000)
const SERVER = `
import os, socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", ${String(PORT)})); s.listen(1)
if os.fork() == 0:
    c = socket.create_connection(("127.0.0.1", ${String(PORT)})); c.sendall(b"ping"); c.close(); os._exit(0)
a, _ = s.accept(); a.recv(16); a.close(); os.wait()
`
const PY = '/usr/bin/python3'
// A 64-bit program that makes one 32-bit syscall (int 0x80): i386 read(999) has number 3, which is close
// in the x86_64 table; the recorder must leave it out rather than record a close.
const COMPAT = join(dir, 'compat80')
writeFileSync(
  COMPAT + '.c',
  `#include <unistd.h>
int main(void) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(3L), "b"(999L), "c"(0L), "d"(0L) : "memory");
  close(998);
  return 0;
}
`
)
const compatBuild = spawnSync('cc', ['-O2', '-o', COMPAT, COMPAT + '.c'], { encoding: 'utf8' })
const SERVER_FILE = join(dir, 'loopback.py')
writeFileSync(SERVER_FILE, SERVER)

interface Check {
  what: string
  filter: string
  /** every printed line (FIELDS format) must match, and there must be at least `min` */
  line: RegExp
  min: number
}
interface Case {
  name: string
  cmd: string[]
  extra?: string[]
  checks: Check[]
}

const T = '/tmp/pg-record-test-' + String(process.pid)
const OVL = join(dir, 'overlay')
const CASES: Case[] = [
  {
    name: 'cat /etc/hostname',
    cmd: ['cat', '/etc/hostname'],
    checks: [
      {
        what: 'execve exit names the new program, its path and its parent (the recorder)',
        filter: 'evt.type=execve and evt.dir=< and evt.rawres=0',
        line: /^\d+ execve < cat (\d+) \d+ \1 cat \/etc\/hostname peregrine-recor \/usr\/bin\/cat <NA> <NA> <NA>$/,
        min: 1
      },
      {
        what: 'openat of /etc/hostname gets an fd with the file name',
        filter: 'evt.type=openat and evt.dir=< and fd.name=/etc/hostname',
        line: /^\d+ openat < cat \d+ \d+ \d+ cat \/etc\/hostname peregrine-recor \/usr\/bin\/cat \d+ file \/etc\/hostname$/,
        min: 1
      },
      {
        what: 'read enter and exit are attributed to that fd',
        filter: 'evt.type=read and proc.name=cat and fd.name=/etc/hostname',
        line: /^\d+ read [<>] cat .* \d+ file \/etc\/hostname$/,
        min: 4
      },
      {
        what: 'the process exit is recorded',
        filter: 'evt.type=procexit',
        line: /^\d+ procexit > cat /,
        min: 1
      }
    ]
  },
  {
    name: 'loopback connect/accept (python3)',
    cmd: [PY, SERVER_FILE],
    checks: [
      {
        what: 'connect exit carries the client->server tuple',
        filter: `evt.type=connect and evt.dir=< and fd.sport=${String(PORT)}`,
        line: new RegExp(
          `^\\d+ connect < python3 .* ipv4 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${String(PORT)}$`
        ),
        min: 1
      },
      {
        what: 'accept exit creates the server side fd with the same orientation',
        filter: `evt.type in (accept, accept4) and evt.dir=< and fd.sport=${String(PORT)}`,
        line: new RegExp(
          `^\\d+ accept < python3 .* ipv4 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${String(PORT)}$`
        ),
        min: 1
      },
      {
        what: 'the listening socket is named by bind',
        filter: 'evt.type=listen',
        line: new RegExp(`^\\d+ listen [<>] python3 .* ipv4 127\\.0\\.0\\.1:${String(PORT)}$`),
        min: 2
      },
      {
        what: 'the forked client is a child of the server process',
        filter: 'evt.type=clone and evt.dir=< and evt.rawres=0',
        line: /^\d+ clone < python3 (\d+) (\d+) \1 .* python3 .*$/,
        min: 1
      }
    ]
  },
  {
    name: 'shell redirection with dup2',
    cmd: ['bash', '-c', `exec 3>${T}; exec 1>&3; echo hello; rm -f ${T}`],
    checks: [
      {
        what: 'dup2(3, 1) shows as dup whose result fd 1 names the file',
        filter: 'evt.type=dup and evt.dir=< and evt.rawres=1',
        line: new RegExp(`^\\d+ dup < bash .* 1 file ${T}$`),
        min: 1
      },
      {
        what: 'the echo writes to fd 1, now the file',
        filter: 'evt.type=write and evt.dir=< and fd.num=1',
        line: new RegExp(`^\\d+ write < bash .* 1 file ${T}$`),
        min: 1
      }
    ]
  },
  {
    name: 'iovec data snapshots across segments',
    cmd: [
      PY,
      '-c',
      'import os; r, w = os.pipe(); os.writev(w, [b"seg-one|", b"seg-two|", b"seg-three|", b"x" * 100]); ' +
        'os.readv(r, [bytearray(5), bytearray(5), bytearray(200)])'
    ],
    checks: [
      {
        what: 'writev data runs through the third segment into the fourth, up to the snaplen',
        filter: 'evt.type=writev and evt.dir=< and evt.arg.data contains "seg-two|seg-three|xxxxxxxxxx"',
        line: /^\d+ writev < python3 .* pipe $/,
        min: 1
      },
      {
        what: 'readv data spans the reader segments',
        filter: 'evt.type=readv and evt.dir=< and evt.arg.data contains "seg-one|seg-two|seg-three|xxx"',
        line: /^\d+ readv < python3 .* pipe $/,
        min: 1
      }
    ]
  },
  {
    name: 'executables from the layers of an overlayfs',
    cmd: [
      'unshare',
      '-m',
      'sh',
      '-c',
      `mkdir -p ${OVL}/l ${OVL}/u ${OVL}/w ${OVL}/m && cp /bin/true ${OVL}/l/lowtrue && ` +
        `mount -t overlay overlay -o lowerdir=${OVL}/l,upperdir=${OVL}/u,workdir=${OVL}/w ${OVL}/m && ` +
        `cp /bin/true ${OVL}/m/uptrue && ${OVL}/m/lowtrue && ${OVL}/m/uptrue; umount ${OVL}/m`
    ],
    checks: [
      {
        what: 'a file of the lower layer: PPM_EXE_LOWER_LAYER (8; root may write it: + EXE_WRITABLE 1)',
        filter: `evt.type=execve and evt.dir=< and proc.exepath=${OVL}/m/lowtrue and (evt.rawarg.flags=8 or evt.rawarg.flags=9)`,
        line: /^\d+ execve < lowtrue /,
        min: 1
      },
      {
        what: 'a file written through the overlay: PPM_EXE_UPPER_LAYER (2)',
        filter: `evt.type=execve and evt.dir=< and proc.exepath=${OVL}/m/uptrue and (evt.rawarg.flags=2 or evt.rawarg.flags=3)`,
        line: /^\d+ execve < uptrue /,
        min: 1
      }
    ]
  },
  {
    name: 'a 32-bit syscall of a 64-bit process (int 0x80)',
    cmd: [COMPAT],
    checks: [
      {
        what: `the only close after the loader's is close(998) (cc: ${compatBuild.status === 0 ? 'ok' : compatBuild.stderr})`,
        filter: 'proc.name=compat80 and evt.type=close and evt.dir=> and fd.num!=4',
        line: /^\d+ close > compat80 .* 998 <NA> <NA>$/,
        min: 1
      }
    ]
  },
  {
    name: 'every other syscall as the generic event (--generic)',
    cmd: ['sh', '-c', 'cat /etc/hostname; ls / >/dev/null; uname -a >/dev/null'],
    extra: ['--generic'],
    checks: [
      { what: 'mmap', filter: 'evt.type=mmap and proc.name=cat', line: /^\d+ mmap [<>] cat /, min: 2 },
      { what: 'getdents64', filter: 'evt.type=getdents64', line: /^\d+ getdents64 [<>] ls /, min: 2 },
      { what: 'uname', filter: 'evt.type=uname', line: /^\d+ uname [<>] uname /, min: 2 }
    ]
  },
  {
    name: 'file system changes',
    cmd: [
      'sh',
      '-c',
      `mkdir ${T}d && touch ${T}d/a && chmod 600 ${T}d/a && mv ${T}d/a ${T}d/b && rm ${T}d/b && rmdir ${T}d; /nonexistent/prog; true`
    ],
    checks: [
      {
        what: 'mkdir',
        filter: `evt.type=mkdir and evt.dir=< and evt.arg.path=${T}d`,
        line: /^\d+ mkdir < mkdir /,
        min: 1
      },
      { what: 'chmod', filter: `evt.type=fchmodat and evt.dir=<`, line: /^\d+ fchmodat < chmod /, min: 1 },
      {
        what: 'rename',
        filter: `evt.type in (rename, renameat, renameat2) and evt.dir=<`,
        line: /^\d+ renameat2? < mv /,
        min: 1
      },
      {
        what: 'unlink',
        filter: `evt.type=unlinkat and evt.dir=< and evt.arg.name=${T}d/b`,
        line: /^\d+ unlinkat < rm /,
        min: 1
      },
      { what: 'rmdir', filter: `evt.type=rmdir and evt.dir=<`, line: /^\d+ rmdir < rmdir /, min: 1 },
      {
        what: 'a failed execve keeps the calling process',
        filter: 'evt.type=execve and evt.dir=< and evt.rawres=-2 and proc.name=sh',
        line: /^\d+ execve < sh .* \/usr\/bin\/sh <NA> <NA> <NA>$/,
        min: 1
      }
    ]
  }
]

describe.skipIf(skip !== null)(titleWithSkip('recording a command', skip), () => {
  for (const c of CASES) {
    describe(c.name, () => {
      const out = join(dir, c.name.replace(/[^a-z0-9]+/gi, '-') + '.scap')
      let recorded: ReturnType<typeof recordCommand> | undefined
      const get = (): ReturnType<typeof recordCommand> => (recorded ??= recordCommand(out, c.cmd, c.extra))
      it('records, exits 0 and writes well-framed blocks that sysdig reads', () => {
        const r = get()
        expect(r.status, r.stderr).toBe(0)
        const s = parseSummary(r.stderr)
        expect(s.drops).toBe(0)
        expect(s.bad_layouts).toBe(0)
        expect(s.stop).toBe('command-exited')
        const f = walkBlocks(out)
        expect(f.error).toBeNull()
        expect(f.eventBlocks).toBe(s.events)
        const sd = sysdig(out)
        expect(sd.status, sd.stderr).toBe(0)
        expect(sd.stderr).toBe('')
      })
      for (const k of c.checks) {
        it(k.what, () => {
          get()
          const sd = sysdig(out, FIELDS, k.filter)
          expect(sd.status, sd.stderr).toBe(0)
          const lines = sd.stdout.split('\n').filter((l) => l !== '')
          expect(lines.length, `filter ${k.filter}`).toBeGreaterThanOrEqual(k.min)
          for (const l of lines) expect(l).toMatch(k.line)
        })
      }
    })
  }
})

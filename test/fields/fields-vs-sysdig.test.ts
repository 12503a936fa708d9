/**
 * Field values beyond the compatibility format, checked against sysdig 0.29.3 on corpus captures: ancestry,
 * cwd/args/exe, namespaces ids, fd derivations (typechar, directory, filename, local/remote, server side,
 * family), user details, result fields, I/O flags, session, container image parts, latency… Skipped
 * without sysdig. Fields 0.29.3 fills from uninitialised memory (group.gid's high half, user.loginuid of
 * some process lists) are not compared.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { printEvents } from '../../src-main/engine/cli/cmd-events'
import { setLocalOffsetSeconds } from '../../src-main/engine/format/time-text'

const FILES = resolve(__dirname, '../../../shared/corpus/files')
const SYSDIG = '/usr/bin/sysdig'

const FIELDS = [
  'evt.num',
  'proc.aname[2]',
  'proc.apid[1]',
  'proc.cwd',
  'proc.args',
  'proc.exe',
  'thread.vtid',
  'proc.vpid',
  'fd.typechar',
  'fd.directory',
  'fd.filename',
  'fd.lip',
  'fd.rip',
  'fd.lport',
  'fd.rport',
  'fd.is_server',
  'fd.sockfamily',
  'user.homedir',
  'user.shell',
  'evt.rawres',
  'evt.failed',
  'evt.is_io',
  'evt.is_io_read',
  'evt.is_wait',
  'evt.io_dir',
  'proc.pcmdline',
  'proc.sid',
  'proc.sname',
  'proc.vpgid',
  'thread.ismain',
  'proc.nthreads',
  'evt.buflen',
  'evt.buflen.net',
  'evt.buflen.file.in',
  'evt.buflen.out',
  'evt.category',
  'evt.is_open_exec',
  'evt.buffer',
  'container.image.repository',
  'container.image.tag',
  'container.privileged',
  'fd.connected',
  'evt.is_open_read',
  'evt.is_open_write',
  'proc.loginshellid',
  'fd.uid',
  'syscall.type',
  'evt.latency',
  'evt.rawtime',
  'evt.time.iso8601',
  'evt.datetime'
]
const FORMAT = '*' + FIELDS.map((f) => '%' + f).join('\t')

const CASES = [
  'falcosecurity__falco/test__trace_files__cat_write.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__curl_google.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__test_ipv6_client.scap',
  'falcosecurity__libs/test__libsinsp_e2e__resources__captures__single_ipv6_conn.scap',
  'falcosecurity__libs/userspace__libsinsp__test__resources__sample.scap',
  'draios__sysdig-inspect/capture-samples__502Error.scap',
  'bencer__sysdig-opensource-examples/example4__example4-1.scap'
]

describe.skipIf(!existsSync(SYSDIG) || !existsSync(FILES))('extended fields against sysdig 0.29.3', () => {
  beforeAll(() => {
    setLocalOffsetSeconds(0)
  })

  for (const rel of CASES) {
    it(rel, { timeout: 60_000 }, async () => {
      const file = resolve(FILES, rel)
      const r = spawnSync(SYSDIG, ['-r', file, '-p', FORMAT], {
        env: { ...process.env, TZ: 'UTC' },
        maxBuffer: 1 << 28
      })
      const theirs = r.stdout.toString('utf8').split('\n')
      let text = ''
      await printEvents(file, { format: FORMAT }, { write: (s) => (text += s) })
      const ours = text.split('\n')
      expect(ours.length).toBe(theirs.length)
      const bad: string[] = []
      for (let i = 0; i < theirs.length; i++) {
        const a = (theirs[i] ?? '').split('\t')
        const b = (ours[i] ?? '').split('\t')
        for (let k = 0; k < FIELDS.length; k++) {
          if (a[k] !== b[k] && bad.length < 10)
            bad.push(`${a[0] ?? ''} ${FIELDS[k] ?? ''}: sysdig '${a[k] ?? ''}' ours '${b[k] ?? ''}'`)
        }
      }
      expect(bad).toEqual([])
    })
  }
})

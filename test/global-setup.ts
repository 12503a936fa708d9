// Every temporary file the tests (and the processes they start: the engine, sysdig, chromium, the
// recorder) make goes below one folder for the run, removed at the end: os.tmpdir() follows TMPDIR, and
// the test workers inherit it from here.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-tests-'))
  process.env['TMPDIR'] = dir
  return () => {
    if (process.env['PEREGRINE_KEEP_TMP'] !== '1') rmSync(dir, { recursive: true, force: true })
  }
}

// The index, query and report subcommands share one usage path (cli/args.ts parseCommand): an unknown
// option prints the reason and the usage on stderr with exit 2; -h/--help prints the usage on stdout, exit 0.
import { describe, expect, it } from 'vitest'
import { run as index } from '../../src-main/engine/cli/cmd-index'
import { run as query } from '../../src-main/engine/cli/cmd-query'
import { run as report } from '../../src-main/engine/cli/cmd-report'
import { captureOutput as capture } from '../fixtures/capture-output'

const RUN = { index, query, report }

describe('subcommand usage', () => {
  it.each([
    ['index', ['--bogus'], 2, 'err', /^peregrine index: unknown option --bogus\nusage: peregrine index FILE/],
    ['query', ['x.scap', 'overview', '--nope'], 2, 'err', /^peregrine query: unknown option --nope\nusage:/],
    ['report', ['-o'], 2, 'err', /^peregrine report: .*\nusage: peregrine report FILE -o/],
    ['index', ['-h'], 0, 'out', /^usage: peregrine index FILE/],
    ['query', ['--help'], 0, 'out', /^usage: peregrine query FILE\|DB NAME/],
    ['report', ['--help'], 0, 'out', /^usage: peregrine report FILE -o/]
  ] as const)('%s %j exits %i', async (cmd, argv, code, stream, text) => {
    const r = await capture(() => RUN[cmd]([...argv]))
    expect(r.code).toBe(code)
    expect(r[stream]).toMatch(text)
    expect(r[stream === 'err' ? 'out' : 'err']).toBe('')
  })
})

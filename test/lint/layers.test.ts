import { describe, expect, it } from 'vitest'
import { resolve } from 'node:path'
import { checkImport, checkTree, importsOf } from '../../scripts/check-layers.mjs'

// [importing file, import specifier, resolved target (null for packages), expected violation fragment or null]
const CASES: [string, string, string | null, string | null][] = [
  ['src-main/engine/capture/reader.ts', 'electron', null, 'must not import electron'],
  ['src-main/engine/capture/reader.ts', 'node:fs', null, null],
  ['src-main/engine/capture/reader.ts', '../state/threads', 'src-main/engine/state/threads', 'later stage'],
  ['src-main/engine/state/threads.ts', '../capture/reader', 'src-main/engine/capture/reader', null],
  ['src-main/engine/rules/ruleset.ts', '../index/writer', 'src-main/engine/index/writer', 'later stage'],
  ['src-main/engine/query/tree.ts', '../../common/time', 'src-main/common/time', null],
  ['src-main/engine/capture/x.ts', '../../app/index', 'src-main/app/index', 'must not import'],
  ['src-main/common/time.ts', 'node:fs', null, 'must not import packages'],
  ['src-main/common/time.ts', '../engine/capture/x', 'src-main/engine/capture/x', 'must not import'],
  ['src-main/preload/index.ts', 'electron', null, null],
  ['src-main/preload/index.ts', '../engine/cli/main', 'src-main/engine/cli/main', 'must not import'],
  ['src-renderer/views/tree.tsx', 'd3', null, null],
  ['src-renderer/views/tree.tsx', 'node:fs', null, 'Node builtins'],
  ['src-renderer/views/tree.tsx', 'electron', null, 'must not import electron'],
  ['src-renderer/views/tree.tsx', '../../src-main/common/ipc', 'src-main/common/ipc', null],
  [
    'src-renderer/views/tree.tsx',
    '../../src-main/engine/query/x',
    'src-main/engine/query/x',
    'only src-main/common'
  ],
  ['src-main/app/index.ts', '../engine/record/run', 'src-main/engine/record/run', null],
  ['src-main/app/index.ts', '../engine/server/open', 'src-main/engine/server/open', 'engine child'],
  ['src-main/app/index.ts', '../engine/index/db', 'src-main/engine/index/db', 'engine child'],
  ['src-main/app/index.ts', '../../src-renderer/x', 'src-renderer/x', 'must not import'],
  ['src-main/engine/bogus/x.ts', '../capture/y', 'src-main/engine/capture/y', 'unknown engine stage']
]

describe('layer rule', () => {
  it.each(CASES)('%s imports %s', (from, spec, target, expected) => {
    const msg = checkImport(from, spec, target)
    if (expected === null) expect(msg).toBeNull()
    else expect(msg).toContain(expected)
  })

  it('finds static, side-effect, dynamic and require imports', () => {
    const text = `import a from 'x'\nimport type { B } from "y"\nimport 'z'\nconst c = await import('w')\nconst d = require('v')\nexport { e } from 'u'`
    expect(importsOf(text).sort()).toEqual(['u', 'v', 'w', 'x', 'y', 'z'])
  })

  it('the repository itself passes', () => {
    expect(checkTree(resolve(__dirname, '../..'))).toEqual([])
  })
})

/**
 * `peregrine query FILE|DB NAME [ARGS] [--json]`: answers one read model of the query API, the same call the
 * UI makes. FILE is a capture (indexed first, or its existing index reused by content hash) or an index.
 */
import { flag, has, parseCommand } from './args'
import { buildIndex } from '../index/build'
import { isSqliteFile } from '../index/db'
import { defaultRuleFiles } from '../rules/default-rules'
import { QueryDb } from '../query/query-db'
import { READ_MODELS, QueryArgError, type ReadModel, type ReadModelName } from '../query/read-models'

const FLAGS = {
  db: { names: ['--db'], value: true },
  json: { names: ['--json'] },
  from: { names: ['--from'], value: true },
  to: { names: ['--to'], value: true },
  buckets: { names: ['--buckets'], value: true },
  focus: { names: ['--focus', '--upid'], value: true },
  mode: { names: ['--mode'], value: true },
  limit: { names: ['--limit'], value: true },
  offset: { names: ['--offset'], value: true },
  after: { names: ['--after', '--cursor'], value: true },
  around: { names: ['--around'], value: true },
  before: { names: ['--before'], value: true },
  by: { names: ['--by'], value: true },
  id: { names: ['--id'], value: true },
  fd: { names: ['--fd'], value: true },
  connection: { names: ['--connection'], value: true },
  count: { names: ['--count'] }
}

function usage(): string {
  const lines = ['usage: peregrine query FILE|DB NAME [ARGS] [--json]', '', 'read models:']
  for (const [name, m] of Object.entries(READ_MODELS)) lines.push(`  ${name.padEnd(16)} ${m.usage}`)
  return lines.join('\n') + '\n'
}

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand('query', argv, FLAGS, usage())
  if (typeof p === 'number') return p
  const [file, name, ...rest] = p.positional
  if (file === undefined || name === undefined) {
    process.stderr.write(usage())
    return 2
  }
  if (!Object.prototype.hasOwnProperty.call(READ_MODELS, name)) {
    process.stderr.write(`peregrine query: unknown read model '${name}'\n${usage()}`)
    return 2
  }
  const model: ReadModel = READ_MODELS[name as ReadModelName]
  let dbPath = file
  try {
    // a capture is indexed as `peregrine index` does (default rules), or its index reused by content hash
    if (!isSqliteFile(file))
      dbPath = (await buildIndex({ capturePath: file, dbPath: flag(p, 'db'), rules: defaultRuleFiles() }))
        .dbPath
  } catch (e) {
    process.stderr.write(`peregrine query: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
  const q = QueryDb.open(dbPath)
  try {
    const result: unknown = await model.run(q, {
      get: (k) => flag(p, k),
      has: (k) => has(p, k),
      rest
    })
    if (has(p, 'json') || model.text === undefined)
      process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    else process.stdout.write(model.text(result))
    return 0
  } catch (e) {
    if (e instanceof QueryArgError) {
      process.stderr.write(`peregrine query ${name}: ${e.message}\n`)
      return 2
    }
    throw e
  } finally {
    q.close()
  }
}

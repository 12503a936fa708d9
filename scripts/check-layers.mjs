// Layer check: the pipeline is visible in the folders and may only depend downwards.
//   src-main/common   runs anywhere: imports nothing but common
//   src-main/engine   plain Node: never electron, app, preload or the renderer; inside it, each stage only
//                     imports its own or earlier stages (capture → state/filter → fields/format → rules →
//                     index → query → report → server/cli)
//   src-main/app      electron main: common, electron and engine/record (which only spawns binaries): the
//                     rest of the engine runs in a child `node` (better-sqlite3 is built for Node's ABI,
//                     not Electron's), reached over the contract
//   src-main/preload  common and electron only
//   src-renderer      DOM only: src-main/common and browser packages, never node: builtins
// Exceptions go in ALLOW with a reason.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve, dirname, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ENGINE_RANK = {
  capture: 0,
  state: 1,
  filter: 1,
  fields: 2,
  format: 2,
  rules: 3,
  index: 4,
  query: 5,
  report: 6,
  server: 7,
  worker: 7,
  record: 7,
  cli: 8
}

/** [importing file prefix, imported path prefix, reason] */
const ALLOW = []

const NODE_BUILTIN =
  /^node:|^(fs|path|os|child_process|zlib|worker_threads|crypto|http|net|url|util|stream|events)(\/|$)/

function area(rel) {
  const p = rel.split(sep).join('/')
  if (p.startsWith('src-main/common/')) return { area: 'common' }
  if (p.startsWith('src-main/engine/')) {
    const stage = p.split('/')[2]
    return { area: 'engine', stage }
  }
  if (p.startsWith('src-main/app/')) return { area: 'app' }
  if (p.startsWith('src-main/preload/')) return { area: 'preload' }
  if (p.startsWith('src-renderer/')) return { area: 'renderer' }
  return { area: 'other' }
}

/** Returns the violation message for one import, or null. Exported for the lint rule's own test. */
export function checkImport(fromRel, spec, targetRel) {
  const from = area(fromRel)
  if (ALLOW.some(([f, t]) => fromRel.startsWith(f) && (targetRel ?? spec).startsWith(t))) return null
  const to = targetRel === null ? null : area(targetRel)
  const isElectron = spec === 'electron' || spec.startsWith('electron/')
  switch (from.area) {
    case 'common':
      if (to === null) return `common must not import packages or builtins (${spec})`
      if (to.area !== 'common') return `common must not import ${targetRel}`
      return null
    case 'engine':
      if (isElectron) return 'the engine must not import electron'
      if (to === null) return null
      if (to.area === 'common') return null
      if (to.area !== 'engine') return `the engine must not import ${targetRel}`
      {
        const a = ENGINE_RANK[from.stage]
        const b = ENGINE_RANK[to.stage]
        if (a === undefined) return `unknown engine stage folder '${from.stage}' (add it to ENGINE_RANK)`
        if (b === undefined) return `unknown engine stage folder '${to.stage}' (add it to ENGINE_RANK)`
        if (b > a) return `engine/${from.stage} must not import the later stage engine/${to.stage}`
      }
      return null
    case 'app':
      if (to !== null && (to.area === 'renderer' || to.area === 'preload'))
        return `app must not import ${targetRel}`
      if (to !== null && to.area === 'engine' && to.stage !== 'record')
        return `app must not load the engine in Electron (${targetRel}): call it through the engine child`
      return null
    case 'preload':
      if (isElectron) return null
      if (to === null) return `preload may import only common and electron (${spec})`
      if (to.area !== 'common' && to.area !== 'preload') return `preload must not import ${targetRel}`
      return null
    case 'renderer':
      if (isElectron) return 'the renderer must not import electron'
      if (to === null)
        return NODE_BUILTIN.test(spec) ? `the renderer must not import Node builtins (${spec})` : null
      if (to.area !== 'renderer' && to.area !== 'common')
        return `the renderer may import only src-main/common (${targetRel})`
      return null
    default:
      return null
  }
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g

export function importsOf(text) {
  const out = []
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4])
  return out
}

function walk(dir, acc) {
  let names
  try {
    names = readdirSync(dir)
  } catch {
    return acc
  }
  for (const n of names) {
    if (n === 'node_modules' || n === 'out') continue
    const p = join(dir, n)
    if (statSync(p).isDirectory()) walk(p, acc)
    else if (/\.(ts|tsx|mts|cts)$/.test(n)) acc.push(p)
  }
  return acc
}

export function checkTree(root) {
  const problems = []
  for (const top of ['src-main', 'src-renderer']) {
    for (const file of walk(join(root, top), [])) {
      const rel = relative(root, file)
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) + '/' : null
        const msg = checkImport(rel, spec, target === null ? null : target.slice(0, -1))
        if (msg !== null) problems.push(`${rel}: import '${spec}': ${msg}`)
      }
    }
  }
  return problems
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const problems = checkTree(root)
  for (const p of problems) console.error(p)
  if (problems.length > 0) process.exit(1)
}

/**
 * Where Peregrine's own default rules live (`rules/` at the repository root: lists first, then rules) and a
 * reader for their lists, so other stages (e.g. the indexer marking sensitive files) reuse the same names
 * instead of keeping copies.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { readYaml } from './loader/yaml-reader'

/** The repository's `rules/` directory: the nearest ancestor of this module holding `rules/lists` (works from
 * src-main/ and from the compiled out/ tree, whatever its depth). */
export function defaultRulesDir(): string {
  let dir = __dirname
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'rules', 'lists')) && existsSync(path.join(dir, 'package.json')))
      return path.join(dir, 'rules')
    const up = path.dirname(dir)
    if (up === dir) break
    dir = up
  }
  return path.resolve(__dirname, '../../../rules')
}

/** `*.yaml|*.yml` files of a directory, sorted, as Falco expands a rules directory. */
export function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile())
}

/** The default rule files in load order: rules/lists/*.yaml, then rules/*.yaml. */
export function defaultRuleFiles(dir = defaultRulesDir()): string[] {
  const lists = path.join(dir, 'lists')
  return [...(existsSync(lists) ? yamlFilesIn(lists) : []), ...yamlFilesIn(dir)]
}

/**
 * Expands rule paths: a directory becomes its sorted YAML files (as Falco expands one), preceded by those of its
 * `lists/` subdirectory when it has one (the layout of our `rules/`, so `-r rules` loads lists first).
 */
export function expandRulePaths(paths: readonly string[]): string[] {
  return paths.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? defaultRuleFiles(p) : [p]))
}

/** The items of every list defined in the default list files (last definition wins, appends applied). */
export function readDefaultLists(dir = defaultRulesDir()): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const lists = path.join(dir, 'lists')
  if (!existsSync(lists)) return out
  for (const f of yamlFilesIn(lists)) {
    const r = readYaml(readFileSync(f, 'utf8'))
    for (const doc of r.docs) {
      if (doc.root.kind !== 'seq') continue
      for (const item of doc.root.items) {
        if (item.kind !== 'map') continue
        const name = item.entries.find((e) => e.key === 'list')?.value
        const items = item.entries.find((e) => e.key === 'items')?.value
        if (name?.kind !== 'scalar' || items?.kind !== 'seq') continue
        const values = items.items.flatMap((i) =>
          i.kind === 'scalar' ? [i.value.replace(/^"(.*)"$/, '$1')] : []
        )
        const append = item.entries.some(
          (e) =>
            e.key === 'override' ||
            (e.key === 'append' && e.value.kind === 'scalar' && e.value.value === 'true')
        )
        out.set(name.value, append ? [...(out.get(name.value) ?? []), ...values] : values)
      }
    }
  }
  return out
}

// `pmatch`: path-prefix match by components (libs path_prefix_search). LHS and patterns are split on '/',
// empty components dropped (so '//', trailing '/', absolute vs relative do not matter); true when some
// pattern's components are a prefix of the LHS's. A pattern component holding glob characters is matched
// with fnmatch against one LHS component.
import { compileGlob, hasGlobChars } from './glob'

interface Trie {
  end: boolean
  next: Map<string, Trie>
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c.length > 0)
}

export function compilePathPrefixes(patterns: readonly string[]): (path: string) => boolean {
  const root: Trie = { end: false, next: new Map() }
  const globbed: ((c: string) => boolean)[][] = []
  for (const p of patterns) {
    const comps = components(p)
    if (comps.some(hasGlobChars)) {
      globbed.push(comps.map((c) => compileGlob(c)))
      continue
    }
    let node = root
    for (const c of comps) {
      let n = node.next.get(c)
      if (n === undefined) {
        n = { end: false, next: new Map() }
        node.next.set(c, n)
      }
      node = n
    }
    node.end = true
  }
  return (path) => {
    const comps = components(path)
    let node: Trie | undefined = root
    if (node.end) return true
    for (const c of comps) {
      node = node.next.get(c)
      if (node === undefined) break
      if (node.end) return true
    }
    for (const g of globbed) {
      if (g.length > comps.length) continue
      let ok = true
      for (let i = 0; i < g.length; i++) {
        const f = g[i]
        if (f === undefined || !f(comps[i] ?? '')) {
          ok = false
          break
        }
      }
      if (ok) return true
    }
    return false
  }
}

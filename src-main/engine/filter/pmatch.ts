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
  const hasGlobbed = globbed.length > 0
  return (path) => {
    // walk the trie component by component without splitting the whole path
    let node: Trie | undefined = root
    if (node.end) return true
    let i = 0
    const n = path.length
    while (i < n) {
      while (i < n && path.charCodeAt(i) === 47) i++
      if (i >= n) break
      let j = path.indexOf('/', i)
      if (j < 0) j = n
      node = node.next.get(path.slice(i, j))
      if (node === undefined) break
      if (node.end) return true
      i = j
    }
    if (!hasGlobbed) return false
    const comps = components(path)
    for (const g of globbed) {
      if (g.length > comps.length) continue
      let ok = true
      for (let k = 0; k < g.length; k++) {
        const f = g[k]
        if (f === undefined || !f(comps[k] ?? '')) {
          ok = false
          break
        }
      }
      if (ok) return true
    }
    return false
  }
}

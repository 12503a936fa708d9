/**
 * Lists, Falco style. Lists are compiled once after every file is read: an item naming an earlier list (index
 * below this list's visibility) is replaced by that list's raw items, one level only. Conditions then get
 * *textual* substitution, list by list in definition order: every occurrence of a list name delimited by start/
 * end of text or one of ` \t\n\r(),=` becomes `item1, item2, …`, anywhere in the text (even inside quotes).
 * Items that hold a space are quoted. An empty list removes one adjacent comma. This is deliberately replicated,
 * quirks included, because the official rules depend on it.
 */
import { quoteItem } from './exception-items'
import type { ListDef } from './items'

export interface CompiledList {
  name: string
  items: string[]
  def: ListDef
}

/** Compiled lists in index order. Marks referenced lists as used. */
export function compileLists(lists: ReadonlyMap<string, ListDef>): CompiledList[] {
  const ordered = [...lists.values()].sort((a, b) => a.index - b.index)
  return ordered.map((l) => {
    const items: string[] = []
    for (const it of l.items) {
      const ref = lists.get(it)
      if (ref !== undefined && ref.index < l.visibility) {
        ref.used = true
        items.push(...ref.items)
      } else items.push(it)
    }
    return { name: l.name, items, def: l }
  })
}

const BLANKS = ' \t\n\r'
const DELIMS = BLANKS + '(),='

export function substituteLists(condition: string, lists: readonly CompiledList[]): string {
  let cnd = condition
  for (const list of lists) {
    const name = list.name
    if (name === '') continue
    let start = cnd.indexOf(name)
    while (start >= 0) {
      let end = start + name.length
      const before = start === 0 || DELIMS.includes(cnd.charAt(start - 1))
      const after = end >= cnd.length || DELIMS.includes(cnd.charAt(end))
      if (!before || !after) {
        start = cnd.indexOf(name, end)
        continue
      }
      list.def.used = true
      while (start > 0 && BLANKS.includes(cnd.charAt(start - 1))) start--
      while (end < cnd.length && BLANKS.includes(cnd.charAt(end))) end++
      const sub = list.items.map(quoteItem).join(', ')
      if (sub === '') {
        if (start > 0 && cnd.charAt(start - 1) === ',') start--
        else if (end < cnd.length && cnd.charAt(end) === ',') end++
      }
      const prefix = start > 0 ? cnd.slice(0, start) + ' ' : ''
      cnd = prefix + sub + ' ' + cnd.slice(end)
      start = cnd.indexOf(name, prefix.length + sub.length)
    }
  }
  return cnd
}

import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import type { ProcessNode } from '../../src-main/common/model/types'
import { drawProcessTree } from '../charts/process-tree-chart'
import { href } from '../app/route'

const FOLD_ABOVE = 300

/**
 * Big trees open folded: every subtree with no alert and not holding the focus is folded below the first
 * level, so the paths to alerted processes show at once and the rest is one click away.
 */
export function initialFolds(nodes: readonly ProcessNode[], focus: number | null): ReadonlySet<number> {
  const folded = new Set<number>()
  if (nodes.length <= FOLD_ABOVE) return folded
  const ids = new Set(nodes.map((n) => n.upid))
  const kids = new Map<number, number[]>()
  for (const n of nodes)
    if (n.parentUpid !== null && ids.has(n.parentUpid) && n.parentUpid !== n.upid) {
      const l = kids.get(n.parentUpid) ?? []
      l.push(n.upid)
      kids.set(n.parentUpid, l)
    }
  const byId = new Map(nodes.map((n) => [n.upid, n]))
  const hot = new Map<number, boolean>()
  // iterative post-order: a node is hot when it or a descendant has an alert or is the focus
  for (const root of nodes.filter((n) => n.parentUpid === null || !ids.has(n.parentUpid))) {
    const stack: [number, boolean][] = [[root.upid, false]]
    while (stack.length > 0) {
      const [u, done] = stack.pop() as [number, boolean]
      if (done || hot.has(u)) {
        const self = (byId.get(u)?.alerts.length ?? 0) > 0 || u === focus
        hot.set(u, self || (kids.get(u) ?? []).some((k) => hot.get(k) === true))
        continue
      }
      stack.push([u, true])
      for (const k of kids.get(u) ?? []) if (!hot.has(k)) stack.push([k, false])
    }
  }
  for (const n of nodes) {
    const isRoot = n.parentUpid === null || !ids.has(n.parentUpid)
    if (!isRoot && (kids.get(n.upid)?.length ?? 0) > 0 && hot.get(n.upid) !== true) folded.add(n.upid)
  }
  return folded
}

/** React wrapper of the d3 tree: keeps the folded set, opens a process on click. */
export function TreeSvg(props: {
  nodes: readonly ProcessNode[]
  focus: number | null
  testId?: string
}): ReactNode {
  const ref = useRef<SVGSVGElement>(null)
  // a new tree starts folded as initialFolds says; the user's folds apply until the tree changes
  const [folds, setFolds] = useState(() => ({
    nodes: props.nodes,
    set: initialFolds(props.nodes, props.focus)
  }))
  if (folds.nodes !== props.nodes)
    setFolds({ nodes: props.nodes, set: initialFolds(props.nodes, props.focus) })
  const collapsed = folds.set
  const setCollapsed = (f: (old: ReadonlySet<number>) => ReadonlySet<number>): void => {
    setFolds((o) => ({ nodes: o.nodes, set: f(o.set) }))
  }
  useEffect(() => {
    if (ref.current === null) return
    drawProcessTree(ref.current, props.nodes, {
      collapsed,
      focus: props.focus,
      onOpen: (upid) => {
        window.location.hash = href({ view: 'process', upid })
      },
      onToggle: (upid) => {
        setCollapsed((old) => {
          const next = new Set(old)
          if (next.has(upid)) next.delete(upid)
          else next.add(upid)
          return next
        })
      }
    })
  }, [props.nodes, props.focus, collapsed])
  return (
    <div className="tree-box">
      <svg ref={ref} className="chart tree" role="tree" data-testid={props.testId ?? 'process-tree'} />
    </div>
  )
}

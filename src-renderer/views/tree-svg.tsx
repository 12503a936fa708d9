import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import type { ProcessNode } from '../../src-main/common/model/types'
import { drawProcessTree } from '../charts/process-tree-chart'
import { href } from '../app/route'

/** React wrapper of the d3 tree: keeps the folded set, opens a process on click. */
export function TreeSvg(props: {
  nodes: readonly ProcessNode[]
  focus: number | null
  testId?: string
}): ReactNode {
  const ref = useRef<SVGSVGElement>(null)
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set())
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

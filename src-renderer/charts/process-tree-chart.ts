/**
 * A collapsible d3 tree of processes, laid out indented (one process per row, children under their
 * parent) so long names and command lines never overlap. Nodes show name, pid, user and container, the command
 * line on hover (an SVG <title>), alert badges by priority; clicking the dot folds a subtree, clicking the
 * label opens the process. Every string from the capture goes through .text().
 */
import * as d3 from 'd3'
import type { ProcessNode } from '../../src-main/common/model/types'
import { PRIORITIES } from '../../src-main/common/model/types'

export interface TreeOptions {
  collapsed: ReadonlySet<number>
  /** node to highlight with its ancestors */
  focus: number | null
  onOpen: (upid: number) => void
  onToggle: (upid: number) => void
}

interface TNode {
  p: ProcessNode | null
  children: TNode[]
  hidden: number
}

/** Builds the forest under one virtual root; nodes whose parent is unknown hang from it. */
export function buildForest(nodes: readonly ProcessNode[], collapsed: ReadonlySet<number>): TNode {
  const byId = new Map<number, TNode>()
  for (const p of nodes) byId.set(p.upid, { p, children: [], hidden: 0 })
  const root: TNode = { p: null, children: [], hidden: 0 }
  for (const t of byId.values()) {
    const parent =
      t.p?.parentUpid === null || t.p?.parentUpid === undefined ? undefined : byId.get(t.p.parentUpid)
    ;(parent === undefined || parent === t ? root : parent).children.push(t)
  }
  const fold = (t: TNode): void => {
    if (t.p !== null && collapsed.has(t.p.upid) && t.children.length > 0) {
      t.hidden = t.children.length
      t.children = []
    }
    t.children.sort((a, b) => (a.p?.upid ?? 0) - (b.p?.upid ?? 0))
    t.children.forEach(fold)
  }
  fold(root)
  return root
}

const ROW = 24
const INDENT = 22
const PRIO_RANK = new Map<string, number>(PRIORITIES.map((p, i) => [p, i]))

export function drawProcessTree(svgEl: SVGSVGElement, nodes: readonly ProcessNode[], o: TreeOptions): void {
  const svg = d3.select(svgEl)
  svg.selectAll('*').remove()
  const forest = buildForest(nodes, o.collapsed)
  const h = d3.hierarchy(forest, (t) => t.children)
  // indented layout: pre-order row index down, depth across (the virtual root takes no row)
  let row = 0
  const pos = new Map<d3.HierarchyNode<TNode>, { x: number; y: number }>()
  h.eachBefore((d) => {
    if (d.data.p === null) pos.set(d, { x: -ROW, y: -INDENT })
    else pos.set(d, { x: row++ * ROW, y: (d.depth - 1) * INDENT })
  })
  const at = (d: d3.HierarchyNode<TNode>): { x: number; y: number } => pos.get(d) ?? { x: 0, y: 0 }
  const all = h.descendants().filter((d) => d.data.p !== null)
  const lineage = new Set<number>()
  if (o.focus !== null) {
    const f = all.find((d) => d.data.p?.upid === o.focus)
    for (const a of f?.ancestors() ?? []) if (a.data.p !== null) lineage.add(a.data.p.upid)
  }
  const maxDepth = Math.max(1, ...all.map((d) => d.depth))
  const width = maxDepth * INDENT + 700
  const height = row * ROW + ROW
  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`)
  const g = svg.append('g').attr('transform', `translate(12,${ROW / 2 + 2})`)
  g.append('g')
    .attr('class', 'links')
    .selectAll('path')
    .data(h.links().filter((l) => l.source.data.p !== null))
    .join('path')
    .attr('class', (l) =>
      l.target.data.p !== null && lineage.has(l.target.data.p.upid) ? 'link lineage' : 'link'
    )
    .attr('d', (l) => {
      const a = at(l.source)
      const b = at(l.target)
      return `M${a.y},${a.x + 6}V${b.x}H${b.y - 6}`
    })
  const node = g
    .append('g')
    .selectAll('g')
    .data(all)
    .join('g')
    .attr('class', (d) => {
      const u = d.data.p?.upid ?? -1
      return `node${u === o.focus ? ' focus' : lineage.has(u) ? ' lineage' : ''}`
    })
    .attr('data-upid', (d) => d.data.p?.upid ?? '')
    .attr('transform', (d) => `translate(${at(d).y},${at(d).x})`)
    .attr('tabindex', 0)
    .attr('role', 'treeitem')
    .on('keydown', (e: KeyboardEvent, d) => {
      const u = d.data.p?.upid
      if (u === undefined) return
      if (e.key === 'Enter') o.onOpen(u)
      else if (e.key === ' ') {
        e.preventDefault()
        o.onToggle(u)
      }
    })
  node
    .append('circle')
    .attr('r', 5)
    .attr('class', (d) =>
      d.data.hidden > 0
        ? 'dot folded'
        : d.children === undefined || d.children.length === 0
          ? 'dot leaf'
          : 'dot'
    )
    .on('click', (_e, d) => {
      if (d.data.p !== null) o.onToggle(d.data.p.upid)
    })
  const label = node
    .append('text')
    .attr('class', 'label')
    .attr('x', 9)
    .attr('dy', '0.32em')
    .on('click', (_e, d) => {
      if (d.data.p !== null) o.onOpen(d.data.p.upid)
    })
  label
    .append('tspan')
    .attr('class', 'pname')
    .text((d) => d.data.p?.name ?? '')
  label
    .append('tspan')
    .attr('class', 'pmeta')
    .text((d) => {
      const p = d.data.p
      if (p === null) return ''
      const parts = [` ${p.pid}`, p.user]
      if (p.container !== null && p.container !== '') parts.push(`[${p.container}]`)
      if (d.data.hidden > 0) parts.push(`+${d.data.hidden}`)
      return parts.join(' ')
    })
  label
    .append('tspan')
    .attr('class', 'pcmd')
    .text((d) => {
      const c = d.data.p?.cmdline ?? ''
      return c === '' ? '' : `  ${c.length > 90 ? `${c.slice(0, 89)}…` : c}`
    })
  node.append('title').text((d) => {
    const p = d.data.p
    return p === null ? '' : `${p.cmdline === '' ? p.name : p.cmdline}\n${p.exe}`
  })
  // alert badges, highest priority first, right of the label
  node.each(function (d) {
    const p = d.data.p
    if (p === null || p.alerts.length === 0) return
    const textEl = d3.select(this).select<SVGTextElement>('text').node()
    let bx = 12 + (textEl?.getComputedTextLength() ?? 80) + 6
    const sorted = [...p.alerts].sort((a, b) => (PRIO_RANK.get(a.key) ?? 9) - (PRIO_RANK.get(b.key) ?? 9))
    for (const a of sorted) {
      const b = d3
        .select(this)
        .append('g')
        .attr('class', `tree-badge prio-${a.key.toLowerCase()}`)
        .attr('transform', `translate(${bx},-8)`)
      const txt = String(a.count)
      const w = 10 + txt.length * 7
      b.append('rect').attr('width', w).attr('height', 16).attr('rx', 8)
      b.append('text')
        .attr('x', w / 2)
        .attr('y', 12)
        .attr('text-anchor', 'middle')
        .text(txt)
      b.append('title').text(`${a.count} ${a.key} alert${a.count === 1 ? '' : 's'}`)
      bx += w + 4
    }
  }) // grow the canvas to the widest label and its badges (long command lines)
  const box = g.node()?.getBBox()
  if (box !== undefined && box.x + box.width + 40 > width) {
    const w = Math.ceil(box.x + box.width + 40)
    svg.attr('width', w).attr('viewBox', `0 0 ${w} ${height}`)
  }
}

/**
 * Processes (left) and the endpoints they talked to (right), outbound and inbound edges in two colours;
 * loopback endpoints are drawn in their own block below the external ones. A deterministic two-column
 * layout: readable at a glance and stable between renders, unlike a force layout.
 */
import * as d3 from 'd3'
import type { ConnectionRow } from '../../src-main/common/model/types'

export function endpointOf(c: ConnectionRow): string {
  return c.direction === 'in' ? `${c.remoteAddr} → :${c.localPort}` : `${c.remoteAddr}:${c.remotePort}`
}

export interface GraphOptions {
  width: number
  onProcess: (upid: number) => void
}

const ROW = 24
const MAX_NODES = 40

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

export function drawNetworkGraph(
  svgEl: SVGSVGElement,
  rows: readonly ConnectionRow[],
  o: GraphOptions
): void {
  const svg = d3.select(svgEl)
  svg.selectAll('*').remove()
  // one node per process (name + pid; threads and recycled rows merge), the busiest first, capped so the
  // graph stays readable — the tables below list everything
  const procKey = (r: ConnectionRow): string => `${r.procName}\u0000${String(r.pid)}`
  const endKey = (r: ConnectionRow): string => (r.loopback ? `loop:${endpointOf(r)}` : endpointOf(r))
  const top = (key: (r: ConnectionRow) => string): Map<string, ConnectionRow> => {
    const tally = new Map<string, { r: ConnectionRow; n: number }>()
    for (const r of rows) {
      const t = tally.get(key(r))
      if (t === undefined) tally.set(key(r), { r, n: r.count })
      else t.n += r.count
    }
    const kept = [...tally.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, MAX_NODES)
    return new Map(kept.map(([k, t]) => [k, t.r]))
  }
  const procMap = top(procKey)
  const endMap = top(endKey)
  const shown = rows.filter((r) => procMap.has(procKey(r)) && endMap.has(endKey(r)))
  const procs = [...procMap.values()]
  const external = [...endMap.keys()].filter((k) => !k.startsWith('loop:')).sort()
  const loop = [...endMap.keys()]
    .filter((k) => k.startsWith('loop:'))
    .map((k) => k.slice(5))
    .sort()
  const rightY = new Map<string, number>()
  external.forEach((e, i) => rightY.set(e, ROW * (i + 1)))
  const loopTop = ROW * (external.length + 2)
  loop.forEach((e, i) => rightY.set(`loop:${e}`, loopTop + ROW * (i + 1)))
  const procY = new Map<string, number>()
  procs.forEach((p, i) => procY.set(procKey(p), ROW * (i + 1)))
  const height = Math.max(procs.length, external.length + loop.length + 2) * ROW + ROW * 2
  const lx = 230
  const rx = o.width - 260
  svg.attr('width', o.width).attr('height', height).attr('viewBox', `0 0 ${o.width} ${height}`)
  const edges = new Map<string, { y1: number; y2: number; dir: string; n: number }>()
  for (const r of shown) {
    const key = endKey(r)
    const id = `${procKey(r)}|${key}|${r.direction}`
    const e = edges.get(id)
    if (e !== undefined) e.n += r.count
    else
      edges.set(id, {
        y1: procY.get(procKey(r)) ?? 0,
        y2: rightY.get(key) ?? 0,
        dir: r.direction,
        n: r.count
      })
  }
  svg
    .append('g')
    .selectAll('path')
    .data([...edges.values()])
    .join('path')
    .attr('class', (e) => `edge dir-${e.dir}`)
    .attr('d', (e) => `M${lx},${e.y1} C${(lx + rx) / 2},${e.y1} ${(lx + rx) / 2},${e.y2} ${rx},${e.y2}`)
    .attr('stroke-width', (e) => Math.min(6, 1 + Math.log2(e.n)))
    .append('title')
    .text(
      (e) =>
        `${e.dir === 'in' ? 'inbound' : e.dir === 'out' ? 'outbound' : 'unknown direction'}, ${e.n} connection(s)`
    )
  const pg = svg
    .append('g')
    .selectAll('g')
    .data(procs)
    .join('g')
    .attr('class', 'gnode proc')
    .attr('transform', (p) => `translate(${lx},${procY.get(procKey(p)) ?? 0})`)
    .attr('tabindex', 0)
    .on('click', (_e, p) => {
      o.onProcess(p.upid)
    })
    .on('keydown', (e: KeyboardEvent, p) => {
      if (e.key === 'Enter') o.onProcess(p.upid)
    })
  pg.append('circle').attr('r', 5)
  pg.append('text')
    .attr('x', -9)
    .attr('dy', '0.32em')
    .attr('text-anchor', 'end')
    .text((p) => `${clip(p.procName, 24)} (${p.pid})`)
  pg.append('title').text((p) => `${p.procName} (${p.pid})`)
  const eg = svg
    .append('g')
    .selectAll('g')
    .data([
      ...external.map((e) => ({ key: e, label: e })),
      ...loop.map((e) => ({ key: `loop:${e}`, label: e }))
    ])
    .join('g')
    .attr('class', (d) => (d.key.startsWith('loop:') ? 'gnode endpoint loopback' : 'gnode endpoint'))
    .attr('transform', (d) => `translate(${rx},${rightY.get(d.key) ?? 0})`)
  eg.append('rect').attr('x', -5).attr('y', -5).attr('width', 10).attr('height', 10)
  eg.append('text')
    .attr('x', 9)
    .attr('dy', '0.32em')
    .text((d) => clip(d.label, 36))
  eg.append('title').text((d) => d.label)
  svg.append('text').attr('class', 'glabel').attr('x', rx).attr('y', 12).text('Remote endpoints')
  if (loop.length > 0)
    svg
      .append('text')
      .attr('class', 'glabel')
      .attr('x', rx)
      .attr('y', loopTop + 4)
      .text('Loopback')
  svg
    .append('text')
    .attr('class', 'glabel')
    .attr('x', lx)
    .attr('y', 12)
    .attr('text-anchor', 'end')
    .text('Processes')
}

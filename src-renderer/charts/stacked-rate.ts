/**
 * The timeline chart: events per bucket stacked by category, alert markers above, and a horizontal brush
 * whose selection becomes the app's time window. Pure d3 on an <svg>; strings only via .text().
 */
import * as d3 from 'd3'
import type { Timeline, TimeWindow } from '../../src-main/common/model/types'
import { CATEGORIES } from '../../src-main/common/model/types'
import { clock } from '../widgets/format'

export interface StackedRateOptions {
  width: number
  height: number
  /** called with the brushed window, or null when the brush is cleared */
  onBrush: (w: TimeWindow | null) => void
  onAlert: (id: number) => void
}

const MARGIN = { top: 18, right: 12, bottom: 22, left: 48 }

export function drawStackedRate(svgEl: SVGSVGElement, t: Timeline, o: StackedRateOptions): void {
  const svg = d3.select(svgEl)
  svg.selectAll('*').remove()
  svg.attr('viewBox', `0 0 ${o.width} ${o.height}`).attr('width', o.width).attr('height', o.height)
  const from = BigInt(t.window.from)
  const spanNs = Math.max(1, Number(BigInt(t.window.to) - from))
  const iw = o.width - MARGIN.left - MARGIN.right
  const ih = o.height - MARGIN.top - MARGIN.bottom
  const x = d3.scaleLinear().domain([0, spanNs]).range([0, iw])
  const rows = t.buckets.map((b) => ({ ...b, off: Number(BigInt(b.start) - from) }))
  const stack = d3.stack<(typeof rows)[number], (typeof CATEGORIES)[number]>().keys(CATEGORIES)
  const series = stack(rows)
  const maxY = d3.max(series, (s) => d3.max(s, (d) => d[1])) ?? 1
  const y = d3
    .scaleLinear()
    .domain([0, Math.max(1, maxY)])
    .nice()
    .range([ih, 0])
  const g = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`)
  const bw = Math.max(1, x(t.bucketNs) - x(0) - 0.5)
  g.append('g')
    .selectAll('g')
    .data(series)
    .join('g')
    .attr('class', (s) => `cat cat-${s.key}`)
    .selectAll('rect')
    .data((s) => s)
    .join('rect')
    .attr('x', (d) => x(d.data.off))
    .attr('width', bw)
    .attr('y', (d) => y(d[1]))
    .attr('height', (d) => Math.max(0, y(d[0]) - y(d[1])))
  g.append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${ih})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(Math.max(2, Math.floor(iw / 110)))
        .tickFormat((v) => clock((from + BigInt(Math.round(Number(v)))).toString()).slice(0, 12))
    )
  g.append('g').attr('class', 'axis').call(d3.axisLeft(y).ticks(4, '~s'))
  // alert markers: one triangle per alert above the bars
  const markers = g
    .append('g')
    .attr('class', 'alert-markers')
    .selectAll('path')
    .data(t.alerts)
    .join('path')
    .attr('class', (a) => `alert-marker prio-${a.priority.toLowerCase()}`)
    .attr('d', d3.symbol(d3.symbolTriangle, 40)())
    .attr('transform', (a) => `translate(${x(Number(BigInt(a.ts) - from))},${-8}) rotate(180)`)
    .on('click', (_e, a) => {
      o.onAlert(a.id)
    })
  markers.append('title').text((a) => `${a.priority}: ${a.rule} at ${clock(a.ts)}`)
  const brush = d3
    .brushX()
    .extent([
      [0, 0],
      [iw, ih]
    ])
    .on('end', (e: d3.D3BrushEvent<unknown>) => {
      if (e.sourceEvent === undefined) return
      const sel = e.selection as [number, number] | null
      if (sel === null || sel[1] - sel[0] < 2) {
        o.onBrush(null)
        return
      }
      const a = from + BigInt(Math.max(0, Math.round(x.invert(sel[0]))))
      const b = from + BigInt(Math.min(spanNs, Math.round(x.invert(sel[1]))))
      o.onBrush({ from: a.toString(), to: b.toString() })
    })
  g.append('g').attr('class', 'brush').call(brush)
}

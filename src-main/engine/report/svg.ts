/**
 * Inline SVG charts for the HTML report, drawn as static markup (no script): the activity timeline (events
 * per bucket stacked by category, alerts as markers coloured by priority) and a lineage tree. Every string
 * from the capture goes through html().
 */
import type { Priority } from '../../common/model/types'
import { html } from './escape'
import type { LineageNode, ReportTimeline } from './report-types'

export const PRIORITY_COLOURS: Record<Priority, string> = {
  EMERGENCY: '#7a0019',
  ALERT: '#a4001d',
  CRITICAL: '#c92a2a',
  ERROR: '#d9480f',
  WARNING: '#b7791f',
  NOTICE: '#1864ab',
  INFORMATIONAL: '#2b8a3e',
  DEBUG: '#868e96'
}

const CAT_COLOURS = { process: '#748ffc', file: '#63e6be', network: '#ffa94d', other: '#ced4da' } as const
const CATS = ['other', 'file', 'network', 'process'] as const

function n(v: number): string {
  return (Math.round(v * 10) / 10).toString()
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}

function relSeconds(fromNs: string, ns: string): number {
  return Number(BigInt(ns) - BigInt(fromNs)) / 1e9
}

export function timelineSvg(t: ReportTimeline, width = 960): string {
  const h = 190
  const left = 48
  const right = 12
  const top = 28
  const bottom = 34
  const plotW = width - left - right
  const plotH = h - top - bottom
  const buckets = t.buckets
  const max = Math.max(1, ...buckets.map((b) => b.process + b.file + b.network + b.other))
  const bw = plotW / Math.max(1, buckets.length)
  const span = Math.max(1e-9, relSeconds(t.from.ts, t.to.ts))
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${String(width)} ${String(h)}" role="img" aria-labelledby="tl-title">`,
    `<title id="tl-title">Events per ${n(t.bucketNs / 1e6)} ms by category, with alerts</title>`,
    `<rect x="${String(left)}" y="${String(top)}" width="${n(plotW)}" height="${n(plotH)}" fill="#f8f9fa" stroke="#dee2e6"/>`
  )
  buckets.forEach((b, i) => {
    let y = top + plotH
    for (const c of CATS) {
      const v = b[c]
      if (v <= 0) continue
      const bh = (v / max) * plotH
      y -= bh
      parts.push(
        `<rect x="${n(left + i * bw)}" y="${n(y)}" width="${n(Math.max(0.5, bw - 0.5))}" height="${n(bh)}" fill="${CAT_COLOURS[c]}"><title>${html(`${c}: ${String(v)}`)}</title></rect>`
      )
    }
  })
  for (const e of t.entries) {
    if (e.kind !== 'alert' || e.priority === null) continue
    const x = left + (relSeconds(t.from.ts, e.ts) / span) * plotW
    const colour = PRIORITY_COLOURS[e.priority]
    parts.push(
      `<g><title>${html(`${e.utc} ${e.priority} ${e.rule ?? ''}`)}</title>` +
        `<line x1="${n(x)}" y1="${String(top - 2)}" x2="${n(x)}" y2="${n(top + plotH)}" stroke="${colour}" stroke-width="1" opacity="0.55"/>` +
        `<path d="M${n(x - 5)} ${String(top - 12)} L${n(x + 5)} ${String(top - 12)} L${n(x)} ${String(top - 3)} Z" fill="${colour}"/></g>`
    )
  }
  const axisY = top + plotH + 16
  for (let i = 0; i <= 4; i++) {
    const x = left + (plotW * i) / 4
    parts.push(
      `<text x="${n(x)}" y="${String(axisY)}" font-size="11" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}" fill="#495057">+${html(((span * i) / 4).toFixed(3))} s</text>`
    )
  }
  parts.push(
    `<text x="${String(left - 6)}" y="${String(top + 10)}" font-size="11" text-anchor="end" fill="#495057">${String(max)}</text>`,
    `<text x="${String(left - 6)}" y="${n(top + plotH)}" font-size="11" text-anchor="end" fill="#495057">0</text>`,
    `<text x="${String(left)}" y="${String(h - 4)}" font-size="11" fill="#495057">${html(t.from.utc)} → ${html(t.to.utc)} (UTC)</text>`
  )
  let lx = width - right - 330
  for (const c of ['process', 'file', 'network', 'other'] as const) {
    parts.push(
      `<rect x="${String(lx)}" y="${String(h - 14)}" width="10" height="10" fill="${CAT_COLOURS[c]}"/><text x="${String(lx + 14)}" y="${String(h - 5)}" font-size="11" fill="#495057">${c}</text>`
    )
    lx += 70
  }
  parts.push(
    `<path d="M${String(lx)} ${String(h - 14)} L${String(lx + 10)} ${String(h - 14)} L${String(lx + 5)} ${String(h - 5)} Z" fill="${PRIORITY_COLOURS.CRITICAL}"/><text x="${String(lx + 14)}" y="${String(h - 5)}" font-size="11" fill="#495057">alert</text>`
  )
  parts.push('</svg>')
  return parts.join('')
}

/** A lineage forest as an indented tree with elbow connectors; alerting processes in red. */
export function lineageSvg(nodes: readonly LineageNode[], width = 960): string {
  if (nodes.length === 0) return ''
  const row = 22
  const indent = 22
  const depth = new Map<number, number>()
  const present = new Set(nodes.map((x) => x.upid))
  for (const x of nodes) {
    const p = x.parentUpid
    depth.set(x.upid, p !== null && present.has(p) ? (depth.get(p) ?? 0) + 1 : 0)
  }
  const h = nodes.length * row + 8
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="tree" viewBox="0 0 ${String(width)} ${String(h)}" role="img" aria-label="process lineage">`
  ]
  const yOf = new Map<number, number>()
  nodes.forEach((x, i) => {
    const d = depth.get(x.upid) ?? 0
    const y = 14 + i * row
    yOf.set(x.upid, y)
    const cx = 10 + d * indent
    const p = x.parentUpid
    const py = p === null ? undefined : yOf.get(p)
    if (py !== undefined) {
      const px = 10 + (d - 1) * indent
      parts.push(
        `<path d="M${String(px)} ${String(py + 5)} V${String(y)} H${String(cx - 5)}" fill="none" stroke="#adb5bd"/>`
      )
    }
    const colour = x.alerting ? PRIORITY_COLOURS.CRITICAL : '#495057'
    const label = `${x.name}[${String(x.pid)}]`
    const detail = ` ${x.user === '' ? '' : `${x.user} `}${x.cmdline}`
    const maxChars = Math.max(10, Math.floor((width - cx - 20) / 6.6))
    parts.push(
      `<g><title>${html(`${label} ${x.exe} ${x.cmdline}${x.container === null ? '' : ` container ${x.container}`}`)}</title>` +
        `<circle cx="${String(cx)}" cy="${String(y)}" r="4" fill="${colour}"/>` +
        `<text x="${String(cx + 9)}" y="${String(y + 4)}" font-size="12" fill="${colour}"><tspan font-weight="bold">${html(clip(label, maxChars))}</tspan>` +
        `<tspan fill="#495057">${html(clip(detail, Math.max(0, maxChars - label.length)))}</tspan></text></g>`
    )
  })
  parts.push('</svg>')
  return parts.join('')
}

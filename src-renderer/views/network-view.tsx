import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { href } from '../app/route'
import { drawNetworkGraph } from '../charts/network-graph'
import { ErrorBox, Loading, Section } from '../widgets/bits'
import { count } from '../widgets/format'
import { ConnectionTable } from './small-tables'

export function NetworkView(): ReactNode {
  const { status, window: win } = useApp()
  const q = useQuery('connections', { window: win }, status.generation)
  const svg = useRef<SVGSVGElement>(null)
  const box = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(900)
  useEffect(() => {
    const el = box.current
    if (el === null) return
    const ro = new ResizeObserver(() => {
      setWidth(Math.max(500, el.clientWidth - 4))
    })
    ro.observe(el)
    return () => {
      ro.disconnect()
    }
  }, [])
  useEffect(() => {
    if (svg.current === null || q.data === null) return
    drawNetworkGraph(svg.current, q.data.rows, {
      width,
      onProcess: (upid) => {
        window.location.hash = href({ view: 'process', upid })
      }
    })
  }, [q.data, width])
  if (q.error !== null) return <ErrorBox error={q.error} />
  const d = q.data
  const external = d?.rows.filter((r) => !r.loopback) ?? []
  const loop = d?.rows.filter((r) => r.loopback) ?? []
  return (
    <div ref={box}>
      {d === null ? <Loading /> : null}
      <Section title="Graph">
        <div className="legend">
          <span className="legend-item dir-out">
            <span className="swatch" />
            outbound
          </span>
          <span className="legend-item dir-in">
            <span className="swatch" />
            inbound
          </span>
        </div>
        {d !== null && d.rows.length === 0 ? (
          <div className="muted">No connections in this window.</div>
        ) : null}
        <svg ref={svg} className="chart network" data-testid="network-graph" />
      </Section>
      <Section title={`Remote endpoints (${d?.byEndpoint.filter((e) => !e.loopback).length ?? 0})`}>
        <table className="table">
          <tbody>
            {(d?.byEndpoint ?? []).map((e) => (
              <tr key={e.endpoint} className={e.loopback ? 'loopback' : ''}>
                <td className="path">{e.endpoint}</td>
                <td>{e.loopback ? <span className="tag">loopback</span> : null}</td>
                <td className="num">{count(e.count)}</td>
                <td className="num">{e.upids.length} process(es)</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={`Connections (${external.length})`}>
        <ConnectionTable rows={external} />
      </Section>
      <Section title={`Loopback and local (${loop.length})`}>
        <ConnectionTable rows={loop} />
      </Section>
      {d?.truncated === true ? <div className="note">Only the first connections are shown.</div> : null}
    </div>
  )
}

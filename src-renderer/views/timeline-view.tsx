import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { href } from '../app/route'
import { drawStackedRate } from '../charts/stacked-rate'
import { ErrorBox, Loading, Section } from '../widgets/bits'
import { CATEGORIES } from '../../src-main/common/model/types'

/** The event-rate chart over the whole capture; brushing sets the app-wide window. */
export function TimelineView(): ReactNode {
  const { status, window: win, setWindow } = useApp()
  const box = useRef<HTMLDivElement>(null)
  const svg = useRef<SVGSVGElement>(null)
  const [width, setWidth] = useState(900)
  // the full capture, so the brush can widen again; a zoomed chart of the window is below
  const full = useQuery('timeline', { window: null, buckets: 200 }, status.generation)
  const zoom = useQuery('timeline', win === null ? null : { window: win, buckets: 200 }, status.generation)
  const zsvg = useRef<SVGSVGElement>(null)
  useEffect(() => {
    const el = box.current
    if (el === null) return
    const ro = new ResizeObserver(() => {
      setWidth(Math.max(400, el.clientWidth - 4))
    })
    ro.observe(el)
    return () => {
      ro.disconnect()
    }
  }, [])
  useEffect(() => {
    if (svg.current === null || full.data === null) return
    drawStackedRate(svg.current, full.data, {
      width,
      height: 260,
      onBrush: setWindow,
      onAlert: (id) => {
        window.location.hash = href({ view: 'alerts', id })
      }
    })
  }, [full.data, width, setWindow])
  useEffect(() => {
    if (zsvg.current === null || zoom.data === null) return
    drawStackedRate(zsvg.current, zoom.data, {
      width,
      height: 180,
      onBrush: (w) => {
        if (w !== null) setWindow(w)
      },
      onAlert: (id) => {
        window.location.hash = href({ view: 'alerts', id })
      }
    })
  }, [zoom.data, width, setWindow])
  return (
    <div ref={box}>
      <Section title="Event rate">
        <p className="muted">
          Drag across the chart to choose a time window; every view then shows only that window (Esc clears
          it). Triangles mark alerts.
        </p>
        <div className="legend">
          {CATEGORIES.map((c) => (
            <span key={c} className={`legend-item cat-${c}`}>
              <span className="swatch" />
              {c}
            </span>
          ))}
        </div>
        {full.error !== null ? <ErrorBox error={full.error} /> : full.data === null ? <Loading /> : null}
        <svg ref={svg} className="chart timeline" data-testid="timeline-chart" />
      </Section>
      {win === null ? null : (
        <Section title="Selected window">
          {zoom.error !== null ? <ErrorBox error={zoom.error} /> : null}
          <svg ref={zsvg} className="chart timeline" />
        </Section>
      )}
    </div>
  )
}

/**
 * Follow an I/O stream: the data snapshots the capture kept for one fd, in time order, as text (printable
 * ASCII, everything else as '.') or as a hex dump; copy the text or save the raw bytes. Binary and hostile
 * data only ever become React text.
 */
import { useState } from 'react'
import type { ReactNode } from 'react'
import type { StreamChunk } from '../../src-main/common/model/drilldown'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { ErrorBox, Link, Loading, ProcessLink, Section } from '../widgets/bits'
import { rel } from '../widgets/format'

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Printable ASCII, newline and tab as they are; any other byte as '.'. */
export function asText(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b === 10 || b === 9 || (b >= 32 && b < 127) ? String.fromCharCode(b) : '.'
  return s
}

/** 16 bytes a line: offset, hex, ASCII. */
export function asHex(bytes: Uint8Array): string {
  const lines: string[] = []
  for (let o = 0; o < bytes.length; o += 16) {
    const row = bytes.subarray(o, o + 16)
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')
    lines.push(`${o.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`)
  }
  return lines.join('\n')
}

function Chunk(props: { c: StreamChunk; hex: boolean }): ReactNode {
  const { base } = useApp()
  const c = props.c
  const bytes = decodeBase64(c.data)
  return (
    <div className={`chunk dir-${c.dir}`} data-testid="stream-chunk">
      <div className="chunk-head">
        <Link to={{ view: 'events', filter: '', upid: null, num: c.num }}>#{c.num}</Link>
        <span className="time">{rel(c.ts, base)}</span>
        <span className="tag">{c.dir === 'out' ? 'write →' : '← read'}</span>
        <ProcessLink upid={c.upid} name={c.procName} pid={c.pid} />
        <span className="muted">
          fd {c.fd}, {c.len} bytes{c.captured < c.len ? `, ${c.captured} kept` : ''}
        </span>
      </div>
      <pre className="chunk-data">{props.hex ? asHex(bytes) : asText(bytes)}</pre>
    </div>
  )
}

export function StreamView(props: { name: string | null; pid: number | null; fd: number | null }): ReactNode {
  const { status } = useApp()
  const [hex, setHex] = useState(false)
  const q = useQuery(
    'io.stream',
    { name: props.name, pid: props.pid, fd: props.fd, limit: 5000 },
    status.generation
  )
  const title = props.name ?? `pid ${String(props.pid)} fd ${String(props.fd)}`
  if (q.error !== null) return <ErrorBox error={q.error} />
  const d = q.data
  if (d === null) return <Loading />
  const all = (): Uint8Array => {
    const parts = d.chunks.map((c) => decodeBase64(c.data))
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    let o = 0
    for (const p of parts) {
      out.set(p, o)
      o += p.length
    }
    return out
  }
  return (
    <Section title={`Stream: ${title}`}>
      <div className="toolbar">
        <button
          type="button"
          className={hex ? '' : 'active'}
          aria-pressed={!hex}
          onClick={() => {
            setHex(false)
          }}
        >
          Text
        </button>
        <button
          type="button"
          className={hex ? 'active' : ''}
          aria-pressed={hex}
          onClick={() => {
            setHex(true)
          }}
        >
          Hex
        </button>
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard.writeText(asText(all()))
          }}
        >
          Copy text
        </button>
        <button
          type="button"
          onClick={() => {
            const url = URL.createObjectURL(
              new Blob([new Uint8Array(all())], { type: 'application/octet-stream' })
            )
            const a = document.createElement('a')
            a.href = url
            a.download = 'stream.bin'
            a.click()
            window.setTimeout(() => {
              URL.revokeObjectURL(url)
            }, 1000)
          }}
        >
          Save raw bytes
        </button>
        <span className="muted">
          {d.chunks.length} chunk{d.chunks.length === 1 ? '' : 's'}
          {d.truncated ? ' (first ones only)' : ''}
        </span>
      </div>
      {d.chunks.length === 0 ? <div className="muted">The capture kept no data for this stream.</div> : null}
      {d.chunks.map((c) => (
        <Chunk key={c.num} c={c} hex={hex} />
      ))}
    </Section>
  )
}

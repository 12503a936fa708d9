/** Display formatting of times, counts and sizes (timestamps arrive as decimal ns strings). */

/** "12:34:56.123456789" (UTC) for an absolute ns timestamp. */
export function clock(ts: string): string {
  if (!/^\d+$/.test(ts)) return ts
  const v = BigInt(ts)
  const ms = Number(v / 1000000n)
  const ns = (v % 1000000000n).toString().padStart(9, '0')
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return ts
  return `${d.toISOString().slice(11, 19)}.${ns}`
}

/** "2024-01-02 12:34:56.123456789 UTC" */
export function dateTime(ts: string): string {
  if (!/^\d+$/.test(ts)) return ts
  const d = new Date(Number(BigInt(ts) / 1000000n))
  if (Number.isNaN(d.getTime())) return ts
  return `${d.toISOString().slice(0, 10)} ${clock(ts)} UTC`
}

/** Seconds relative to base, e.g. "+1.234567s". */
export function rel(ts: string, base: string | null): string {
  if (base === null || !/^\d+$/.test(ts) || !/^\d+$/.test(base)) return clock(ts)
  const d = Number(BigInt(ts) - BigInt(base)) / 1e9
  return `${d >= 0 ? '+' : ''}${d.toFixed(6)}s`
}

export function nsDelta(a: string, b: string): number {
  return Number(BigInt(a) - BigInt(b))
}

export function addNs(ts: string, delta: number): string {
  return (BigInt(ts) + BigInt(Math.round(delta))).toString()
}

export function duration(ns: number): string {
  if (ns < 1e3) return `${ns} ns`
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`
  if (ns < 1e9) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns < 120e9) return `${(ns / 1e9).toFixed(2)} s`
  return `${(ns / 60e9).toFixed(1)} min`
}

export function count(n: number): string {
  return n.toLocaleString('en-US')
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`
  return `${(n / (1 << 30)).toFixed(2)} GiB`
}

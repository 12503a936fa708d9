/** Human-readable sizes and durations for the report's text renderers. */

export function bytesText(n: number): string {
  const exact = `${n.toLocaleString('en-US')} bytes`
  if (n < 1024) return exact
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(1)} ${units[i] ?? 'TiB'} (${exact})`
}

/** "12.345678901 s" from a decimal ns string. */
export function durationText(ns: string): string {
  if (!/^-?\d+$/.test(ns)) return ns
  const neg = ns.startsWith('-')
  const digits = (neg ? ns.slice(1) : ns).padStart(10, '0')
  return `${neg ? '-' : ''}${digits.slice(0, -9).replace(/^0+(?=\d)/, '')}.${digits.slice(-9)} s`
}

import type { InterfaceEntry } from '../capture/capture-types'
import { parseIpv4, parseIpv6 } from './ip-parse'

const LOOPBACK = 0x0100007f // 127.0.0.1 read little-endian from network-order bytes

const V6_LOOPBACK = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
const V6_ZERO = Buffer.alloc(16)

interface V4If {
  addr: number
  netmask: number
}

/**
 * The IL block (sinsp_network_interfaces): which addresses are local, and how sinsp fills the missing half
 * of a socket tuple. Addresses are u32 read little-endian from network-order bytes, like sinsp's.
 */
export class Interfaces {
  readonly v4: V4If[] = []
  readonly v6: Buffer[] = []

  clear(): void {
    this.v4.length = 0
    this.v6.length = 0
  }

  add(i: InterfaceEntry): void {
    if (i.family === 4) {
      const b = Buffer.alloc(8)
      if (!parseIpv4(i.addr, b, 0) || !parseIpv4(i.netmask, b, 4)) return
      this.v4.push({ addr: b.readUInt32LE(0), netmask: b.readUInt32LE(4) })
    } else {
      const b = Buffer.alloc(16)
      if (parseIpv6(i.addr, b, 0)) this.v6.push(b)
    }
  }

  /** sinsp infer_ipv4_address. */
  inferIpv4(dst: number): number {
    for (const i of this.v4) if (i.addr === dst) return i.addr
    for (const i of this.v4) if ((i.addr & i.netmask) >>> 0 === (dst & i.netmask) >>> 0) return i.addr
    for (const i of this.v4) if (i.addr !== LOOPBACK) return i.addr
    return 0
  }

  /** sinsp infer_ipv6_address: exact match, then same /64, then the first non-loopback, else ::. */
  inferIpv6(dst: Buffer): Buffer {
    for (const a of this.v6) if (a.equals(dst)) return a
    for (const a of this.v6) if (a.subarray(0, 8).equals(dst.subarray(0, 8))) return a
    for (const a of this.v6) if (!a.equals(V6_LOOPBACK)) return a
    return V6_ZERO
  }

  isLocalV4(addr: number, containerIp?: number): boolean {
    if (containerIp !== undefined && containerIp === addr) return true
    for (const i of this.v4) if (i.addr === addr) return true
    return false
  }

  /** sinsp is_ipv6addr_in_local_machine: the address is in the /64 of an interface. */
  isLocalV6(b: Buffer, off: number): boolean {
    const net = b.subarray(off, off + 8)
    for (const a of this.v6) if (a.subarray(0, 8).equals(net)) return true
    return false
  }
}

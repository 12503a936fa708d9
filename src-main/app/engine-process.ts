/**
 * Main's handle on the engine child (engine/server/engine-child.ts): forks it under a plain `node`, since
 * better-sqlite3 is built for Node's ABI and Electron's cannot load it, and exposes the contract as an
 * EngineApi whose calls travel over the Node IPC channel. If the child dies, pending calls fail with the
 * reason and the next call starts a fresh one (the capture must then be opened again).
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { CHANNEL_NAMES } from '../common/ipc-contract'
import type { Channel, EngineAnswer, EngineApi, EngineCall } from '../common/ipc-contract'

/** The `node` that runs the engine: $PEREGRINE_NODE, else the first `node` on PATH. */
export function findNode(env: NodeJS.ProcessEnv = process.env): string | null {
  const given = env['PEREGRINE_NODE']
  if (given !== undefined && given !== '') return given
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue
    const p = join(dir, 'node')
    try {
      accessSync(p, constants.X_OK)
      return p
    } catch {
      // not here
    }
  }
  return null
}

/** The compiled child script: out/engine beside out/main when built, else the repository's out/engine. */
export function engineChildScript(from: string = __dirname): string | null {
  const rel = join('engine', 'engine', 'server', 'engine-child.js')
  const besideMain = join(from, '..', rel)
  if (existsSync(besideMain)) return besideMain
  let dir = resolve(from)
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) {
      const p = join(dir, 'out', rel)
      return existsSync(p) ? p : null
    }
    dir = resolve(dir, '..')
  }
  return null
}

export class EngineUnavailable extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EngineUnavailable'
  }
}

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

export interface EngineProcessOptions {
  node: string | null
  script: string | null
  /** where the child's stderr goes besides the last lines kept for error messages */
  onStderr?: (text: string) => void
}

export class EngineProcess {
  private child: ChildProcess | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private stderrTail = ''
  readonly api: EngineApi

  constructor(private readonly opts: EngineProcessOptions) {
    const api: Partial<Record<Channel, (a: unknown) => Promise<unknown>>> = {}
    for (const name of CHANNEL_NAMES) api[name] = (args: unknown) => this.call(name, args)
    this.api = api as EngineApi
  }

  /** Whether a child is running now. */
  get running(): boolean {
    return this.child !== null
  }

  /** The child's pid (tests use it), or null. */
  get pid(): number | null {
    return this.child?.pid ?? null
  }

  private start(): ChildProcess {
    if (this.child !== null) return this.child
    const { node, script } = this.opts
    if (node === null)
      throw new EngineUnavailable(
        'Peregrine runs its engine with Node.js 20, and no `node` was found on PATH (set PEREGRINE_NODE to its path).'
      )
    if (script === null)
      throw new EngineUnavailable(
        'the engine is not built: run `npm run build:engine` (out/engine is missing).'
      )
    const child = fork(script, [], {
      execPath: node,
      // Electron's own variables must not leak into a plain node
      env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'json'
    })
    this.stderrTail = ''
    child.stderr?.on('data', (d: Buffer) => {
      const s = d.toString('utf8')
      this.stderrTail = (this.stderrTail + s).slice(-2000)
      this.opts.onStderr?.(s)
    })
    child.on('message', (m: unknown) => {
      this.onMessage(m)
    })
    const gone = (why: string): void => {
      if (this.child !== child) return
      this.child = null
      const tail = this.stderrTail.trim().split('\n').slice(-3).join(' ')
      const err = new EngineUnavailable(`the engine process ${why}${tail === '' ? '' : `: ${tail}`}`)
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    child.on('error', (e) => {
      gone(`could not run (${e.message})`)
    })
    child.on('exit', (code, signal) => {
      gone(`exited (${signal ?? `code ${String(code)}`})`)
    })
    this.child = child
    return child
  }

  private onMessage(m: unknown): void {
    if (typeof m !== 'object' || m === null) return
    const { id, reply } = m as EngineAnswer
    const p = this.pending.get(id)
    if (p === undefined) return
    this.pending.delete(id)
    if (reply.ok) p.resolve(reply.result)
    else p.reject(new Error(reply.error))
  }

  private call(channel: Channel, args: unknown): Promise<unknown> {
    let child: ChildProcess
    try {
      child = this.start()
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)))
    }
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      const call: EngineCall = { id, channel, args }
      child.send(call, (e) => {
        if (e === null) return
        this.pending.delete(id)
        reject(new EngineUnavailable(`the engine process did not take the call: ${e.message}`))
      })
    })
  }

  /** Stops the child (it also exits by itself when this process goes away). */
  close(): void {
    const c = this.child
    if (c === null) return
    this.child = null
    for (const p of this.pending.values()) p.reject(new EngineUnavailable('the engine was closed'))
    this.pending.clear()
    if (c.connected) c.disconnect()
    c.kill('SIGTERM')
  }
}

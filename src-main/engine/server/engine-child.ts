/**
 * The engine as a child process of the desktop app. Electron main cannot load better-sqlite3 built for
 * Node's ABI (and the Electron build cannot be made here), so main stays thin: it forks this file under a
 * plain `node` and forwards each contract call over the Node IPC channel. One CaptureSession answers,
 * exactly as behind `peregrine serve`.
 *
 * Wire: EngineCall in, EngineAnswer out (common/ipc-contract.ts). Arguments are validated here too: the
 * parent is trusted, but the contract is the one place that says what a call may carry.
 */
import { ContractError, dispatch, isChannel, refusal } from '../../common/ipc-contract'
import type { EngineAnswer, EngineApi, EngineCall } from '../../common/ipc-contract'
import { CaptureSession } from './capture-session'
import { openIndex } from './open-index'

function isCall(m: unknown): m is EngineCall {
  if (typeof m !== 'object' || m === null) return false
  const r = m as Record<string, unknown>
  return typeof r['id'] === 'number' && typeof r['channel'] === 'string'
}

/** Answers one request; errors travel as data, as over Electron IPC and HTTP. */
export async function answerCall(api: EngineApi, m: EngineCall): Promise<EngineAnswer> {
  const reply = isChannel(m.channel)
    ? await dispatch(api, m.channel, m.args)
    : refusal(new ContractError(`unknown channel ${m.channel}`))
  return { id: m.id, reply }
}

/** Serves `session` over this process's IPC channel until the parent goes away. */
export function serveOverIpc(session: CaptureSession): void {
  const send = process.send?.bind(process)
  if (send === undefined) {
    process.stderr.write('engine-child: start me with child_process.fork (no IPC channel)\n')
    process.exit(2)
  }
  process.on('message', (m: unknown) => {
    if (!isCall(m)) return
    void answerCall(session.api, m).then((r) => {
      if (process.connected) send(r)
    })
  })
  // the app quit or crashed: never outlive it (an orphan would keep the index open)
  process.on('disconnect', () => {
    session.close()
    process.exit(0)
  })
}

if (require.main === module) serveOverIpc(new CaptureSession(openIndex, true))

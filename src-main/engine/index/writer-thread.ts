/**
 * The writer thread of an import (see remote-writer.ts): owns the build database, replays the recorded
 * calls on an IndexWriter in order, counts applied batches in shared memory (the importer's flow control),
 * and finalizes the index when told.
 */
import { parentPort } from 'node:worker_threads'
import { createBuildDb, type WritableDb } from './db'
import { IndexWriter } from './writer'
import { finalizeIndex } from './finalize'
import { BATCH, EVENT_FIELDS, type FromWriter, type ToWriter, type Op } from './remote-writer'

const port = parentPort
if (port === null) throw new Error('writer-thread must run in a worker thread')

let db: WritableDb | null = null
let w: IndexWriter | null = null
let applied: Int32Array | null = null
let ring: SharedArrayBuffer | null = null
let strings = 0

function post(m: FromWriter): void {
  port?.postMessage(m)
}

const n = (x: number): number | null => (Number.isNaN(x) ? null : x)

function apply(op: Op, wr: IndexWriter): void {
  switch (op[0]) {
    case 's':
      if (wr.intern(op[1]) !== ++strings) throw new Error('string ids out of step')
      return
    case 't':
      wr.eventType(op[1], op[2], op[3], op[4])
      return
    case 'r':
      wr.rawChunk(op[1], Buffer.from(op[2].buffer, op[2].byteOffset, op[2].byteLength))
      return
    case 'f':
      wr.fileActivity(op[1])
      return
    case 'c':
      wr.connection(op[1])
      return
    case 'i':
      wr.ioChunk(
        op[1],
        op[2],
        op[3],
        op[4],
        op[5],
        op[6],
        op[7],
        op[8],
        op[9],
        op[10] === null ? null : Buffer.from(op[10])
      )
      return
    case 'a':
      wr.alert(op[1])
      return
    case 'fd':
      wr.fdIo(op[1])
      return
    case 'rs':
      wr.rulesRunStart(op[1])
      return
    case 'rf':
      wr.rulesRunFinish(op[1], op[2], op[3], op[4])
      return
    case 'fin':
      wr.finishRows()
      return
  }
}

port.on('message', (m: ToWriter) => {
  try {
    if (m.type === 'open') {
      db = createBuildDb(m.path)
      db.prepare("INSERT INTO meta (key, value) VALUES ('state', 'building'), ('builder_pid', ?)").run(
        String(m.pid)
      )
      w = new IndexWriter(db)
      applied = new Int32Array(m.flow)
      ring = m.ring
      post({ type: 'ready' })
      return
    }
    if (w === null || db === null) throw new Error('the writer thread has no database')
    if (m.type === 'batch') {
      for (const op of m.ops) apply(op, w)
      if (ring === null) throw new Error('no event ring')
      const e = new Float64Array(ring, m.slot * BATCH * EVENT_FIELDS * 8, m.count * EVENT_FIELDS)
      for (let r = 0; r < m.count; r++) {
        const o = r * EVENT_FIELDS
        w.event(
          e[o] ?? 0,
          e[o + 1] ?? 0,
          e[o + 2] ?? 0,
          e[o + 3] ?? 0,
          n(e[o + 4] ?? NaN),
          n(e[o + 5] ?? NaN),
          n(e[o + 6] ?? NaN),
          n(e[o + 7] ?? NaN),
          n(e[o + 8] ?? NaN),
          n(e[o + 9] ?? NaN),
          e[o + 10] ?? 0,
          e[o + 11] ?? 0,
          n(e[o + 12] ?? NaN)
        )
      }
      if (applied !== null) {
        Atomics.add(applied, 0, 1)
        Atomics.notify(applied, 0)
      }
      return
    }
    w.commit()
    finalizeIndex(db, m.ingest, m.buildMs)
    db.close()
    db = null
    post({ type: 'done' })
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  }
})

/**
 * The bridge from the UI's contract to the index (issue 4): index a capture (reusing an index of the same
 * content), then answer every query channel with the read models of engine/query. Kept thin: it maps
 * arguments and results and turns "not found" into errors, nothing more.
 */
import { buildInWorker } from '../worker/build-in-worker'
import type { WorkerJob } from '../worker/build-in-worker'
import { QueryDb } from '../query/query-db'
import { overview } from '../query/overview'
import { timeline } from '../query/timeline'
import { processTree } from '../query/process-tree'
import { processDetail } from '../query/process-detail'
import { checkFilter, eventsAround, eventsPage } from '../query/events'
import { connections } from '../query/connections'
import { fileActivity } from '../query/files'
import { alertDetail, alerts } from '../query/alerts'
import { search } from '../query/search'
import { commands, errors, stream, topConnections, topFiles, topFilesErrors } from '../query/io'
import { buildReport, renderReport } from '../report'
import { htmlToPdf } from '../report/print-pdf'
import { readNotes, savedReportOptions, writeNotes } from '../index/analyst-notes'
import { basename } from 'node:path'
import type { ReportFormatName } from '../../common/ipc-contract'

const MIME: Record<ReportFormatName, string> = {
  html: 'text/html',
  md: 'text/markdown',
  json: 'application/json',
  pdf: 'application/pdf'
}
import type { IndexOpener, QueryBackend } from './capture-session'
import { RulesControl } from './rules-control'

/** Query channels over an open index; `rules` handles the rules view and re-runs. */
export function queryBackend(qdb: () => QueryDb, rules: RulesControl): QueryBackend {
  return {
    overview: (a) => Promise.resolve(overview(qdb(), { window: a.window ?? null })),
    timeline: (a) => Promise.resolve(timeline(qdb(), { window: a.window, buckets: a.buckets })),
    'process.tree': (a) => Promise.resolve(processTree(qdb(), { window: a.window, focus: a.focus })),
    'process.detail': (a) => {
      const d = processDetail(qdb(), a.upid)
      return d === null ? Promise.reject(new Error(`no process ${a.upid}`)) : Promise.resolve(d)
    },
    events: async (a) =>
      (
        await eventsPage(qdb(), {
          filter: a.filter,
          window: a.window,
          upid: a.upid,
          offset: a.offset,
          limit: a.limit,
          noTotal: !a.count
        })
      ).page,
    'events.around': (a) => Promise.resolve(eventsAround(qdb(), a.num, a.before, a.after)),
    'filter.check': (a) => Promise.resolve(checkFilter(qdb(), a.filter)),
    connections: (a) => Promise.resolve(connections(qdb(), { window: a.window })),
    files: (a) => Promise.resolve(fileActivity(qdb(), { window: a.window })),
    alerts: (a) => Promise.resolve(alerts(qdb(), { window: a.window })),
    'alert.detail': (a) => {
      const d = alertDetail(qdb(), a.id)
      return d === null ? Promise.reject(new Error(`no alert ${a.id}`)) : Promise.resolve(d)
    },
    search: (a) => Promise.resolve(search(qdb(), a.text, a.limit)),
    'rules.list': () => Promise.resolve(rules.state(qdb())),
    'rules.setEnabled': (a) => {
      rules.setEnabled(a.name, a.enabled)
      return Promise.resolve(rules.state(qdb()))
    },
    'rules.loadText': (a) => {
      rules.addText(a.name, a.text)
      return Promise.resolve(rules.state(qdb()))
    },
    'rules.removeFile': (a) => {
      rules.removeShown(a.path)
      return Promise.resolve(rules.state(qdb()))
    },
    'rules.run': async () => {
      await rules.run()
      return rules.state(qdb())
    },
    'report.export': async (a) => {
      const q = qdb()
      const stem = basename(q.path)
        .replace(/\.peregrine\.db$/, '')
        .slice(0, 16)
      const file = { filename: `peregrine-report-${stem}.${a.format}`, mime: MIME[a.format] }
      const report = buildReport(q, savedReportOptions(q.db))
      // PDF: the HTML report printed by headless Chromium (the desktop app prints with Electron instead)
      if (a.format === 'pdf')
        return {
          ...file,
          encoding: 'base64',
          text: (await htmlToPdf(renderReport(report, 'html'))).toString('base64')
        }
      return { ...file, encoding: 'utf8', text: renderReport(report, a.format) }
    },
    'report.notes': () => Promise.resolve(readNotes(qdb().db)),
    'report.setNotes': (a) => {
      writeNotes(qdb().path, a)
      return Promise.resolve(readNotes(qdb().db))
    },
    'io.stream': (a) =>
      Promise.resolve(
        stream(qdb(), {
          ...(a.name === null ? {} : { name: a.name }),
          ...(a.pid === null || a.fd === null ? {} : { pidFd: { pid: a.pid, fd: a.fd } }),
          limit: a.limit
        })
      ),
    'io.commands': () => Promise.resolve(commands(qdb())),
    'io.errors': () => Promise.resolve(errors(qdb())),
    'io.top': (a) =>
      Promise.resolve({
        files: topFiles(qdb(), a.limit),
        connections: topConnections(qdb(), a.limit),
        filesByErrors: topFilesErrors(qdb(), a.limit)
      }),
    close: () => {
      qdb().close()
    }
  }
}

export const openIndex: IndexOpener = async (path, onProgress, signal) => {
  const rules = new RulesControl()
  const job = (force: boolean, dbPath: string | null, mode: WorkerJob['mode'] = 'build'): WorkerJob => ({
    mode,
    capturePath: path,
    rules: rules.files(),
    force,
    dbPath
  })
  const built = await buildInWorker(job(false, null), onProgress, signal)
  let q = QueryDb.open(built.dbPath)
  if (built.reused && q.activeRun() === null && rules.files().length > 0) {
    // an index built without rules (e.g. `peregrine index` with no -r): run ours once
    q.close()
    const again = await buildInWorker(job(true, built.dbPath), onProgress, signal)
    q = QueryDb.open(again.dbPath)
  }
  // a re-run evaluates the current rule set over the capture without re-indexing; its run becomes active
  rules.onRun(async () => {
    await buildInWorker(job(false, q.path, 'rules'), () => undefined, new AbortController().signal)
    q.close()
    q = QueryDb.open(built.dbPath)
  })
  return queryBackend(() => q, rules)
}

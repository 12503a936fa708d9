/**
 * The report as one self-contained HTML file: inline CSS, inline SVG charts, no script, no external
 * resource of any kind (a Content-Security-Policy of default-src 'none' says so to the browser too), readable
 * without scripts and printable (print CSS). Every capture string is escaped by html().
 */
import { html } from './escape'
import { lineageSvg, PRIORITY_COLOURS, timelineSvg } from './svg'
import type { Finding, IncidentReport, Instant, IoRef, ReportTactic, ReportTechnique } from './report-types'
import type { Priority } from '../../common/model/types'
import { bytesText, durationText } from './text-format'

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #212529; margin: 0; background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #dee2e6; padding-bottom: 4px; margin: 32px 0 12px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
h4 { font-size: 14px; margin: 14px 0 6px; color: #495057; }
.meta { color: #495057; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #dee2e6; padding: 4px 7px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f1f3f5; font-weight: 600; white-space: nowrap; }
.time { white-space: nowrap; }
table.kv th { width: 190px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
pre { background: #f8f9fa; border: 1px solid #dee2e6; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 6px 0 12px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 9px; color: #fff; font-size: 12px; font-weight: 600; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 14px; }
.card { border: 1px solid #dee2e6; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.card .v { font-size: 22px; font-weight: 700; }
.card .k { color: #495057; font-size: 12px; }
.warn { background: #fff4e6; border-left: 4px solid #e8590c; padding: 6px 10px; margin: 6px 0; }
.ok { background: #ebfbee; border-left: 4px solid #2b8a3e; padding: 6px 10px; margin: 6px 0; }
.finding { border: 1px solid #dee2e6; border-radius: 6px; padding: 4px 14px 10px; margin: 14px 0; }
svg.chart, svg.tree { width: 100%; height: auto; display: block; margin: 6px 0 10px; }
.muted { color: #6c757d; }
nav ol { columns: 2; margin: 6px 0 0; }
@media print {
  body { font-size: 11px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  .finding, tr, svg, pre { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 14mm 12mm; }
`

/** Priority colours as classes (html-validate's recommended rules forbid inline styles). */
const PRIORITY_CSS = Object.entries(PRIORITY_COLOURS)
  .map(([p, c]) => `.bg-${p} { background: ${c}; } .fg-${p} { color: ${c}; }`)
  .join('\n')

function badge(p: Priority): string {
  return `<span class="badge bg-${p}">${p}</span>`
}

function t(i: Instant | null): string {
  return i === null ? '<span class="muted">unknown</span>' : `<span class="mono time">${html(i.utc)}</span>`
}

function table(head: string[], rows: string[][], numCols: number[] = []): string {
  if (rows.length === 0) return '<p class="muted">None.</p>'
  const th = head.map((h, i) => `<th${numCols.includes(i) ? ' class="num"' : ''}>${h}</th>`).join('')
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numCols.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`
    )
    .join('\n')
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

function kv(rows: [string, string][]): string {
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('\n')}</tbody></table>`
}

function mono(s: string): string {
  return `<span class="mono">${html(s)}</span>`
}

function tactics(ts: readonly ReportTactic[]): string {
  return ts.length === 0
    ? '<span class="muted">none</span>'
    : ts.map((x) => html(x.id === null ? x.name : `${x.id} ${x.name}`)).join('<br>')
}

function techniques(ts: readonly ReportTechnique[]): string {
  return ts.length === 0 ? '<span class="muted">none</span>' : ts.map((x) => html(x.label)).join('<br>')
}

function omitted(n: number, what: string): string {
  return n > 0 ? `<p class="muted">${String(n)} more ${what} not listed.</p>` : ''
}

function finding(f: Finding, i: number): string {
  const out: string[] = []
  out.push(`<section class="finding" id="finding-${String(i + 1)}">`)
  out.push(`<h3>${String(i + 1)}. ${html(f.rule)} ${badge(f.priority)}</h3>`)
  out.push(
    kv([
      ['Alerts', `${String(f.count)} (first ${t(f.first)}, last ${t(f.last)})`],
      ['MITRE ATT&amp;CK tactic', tactics(f.tactics)],
      ['MITRE ATT&amp;CK technique', techniques(f.techniques)],
      ['Tags', html(f.tags.join(', '))],
      [
        'Description',
        f.description === null ? '<span class="muted">not available</span>' : html(f.description)
      ]
    ])
  )
  out.push('<h4>Alert outputs</h4>')
  out.push(
    table(
      ['Time (UTC)', 'Event', 'Output'],
      f.alerts.map((a) => [t(a), `<span class="mono">${String(a.num)}</span>`, mono(a.output)])
    )
  )
  out.push(omitted(f.alertsOmitted, 'alerts'))
  out.push('<h4>Triggering events</h4>')
  out.push(
    table(
      ['#', 'Time (UTC)', 'Process', 'Event', 'fd', 'Arguments'],
      f.events.map((e) => [
        String(e.num),
        t(e),
        html(`${e.procName} (${String(e.pid)}/${String(e.tid)})`),
        html(`${e.dir} ${e.type}`),
        e.fdName === null ? '' : mono(e.fdName),
        mono(e.info)
      ]),
      [0]
    )
  )
  out.push('<h4>Process lineage</h4>')
  out.push(
    f.lineage.length === 0
      ? '<p class="muted">No process is known for these alerts.</p>'
      : lineageSvg(f.lineage)
  )
  out.push('<h4>Related file activity</h4>')
  out.push(
    table(
      ['Time (UTC)', 'Process', 'Operation', 'Path', 'Result', 'Sensitive'],
      f.files.map((x) => [
        t(x),
        html(`${x.procName} (${String(x.pid)})`),
        html(`${x.op}${x.access === '' ? '' : ` ${x.access}`}`),
        mono(x.path),
        html(x.res ?? ''),
        html(x.sensitive ?? '')
      ])
    )
  )
  out.push(omitted(f.filesOmitted, 'file operations (plain reads)'))
  out.push('<h4>Related network activity</h4>')
  out.push(
    table(
      ['First (UTC)', 'Process', 'Direction', 'Proto', 'Connection', 'Count'],
      f.network.map((x) => [
        t(x),
        html(`${x.procName} (${String(x.pid)})`),
        html(x.direction + (x.loopback ? ' (local)' : '')),
        html(x.proto),
        mono(x.tuple),
        String(x.count)
      ]),
      [5]
    )
  )
  out.push(omitted(f.networkOmitted, 'connections'))
  out.push('</section>')
  return out.join('\n')
}

export function renderHtml(r: IncidentReport): string {
  const e = r.evidence
  const s = r.summary
  const q = r.dataQuality
  const o: string[] = []
  o.push('<!DOCTYPE html>')
  o.push('<html lang="en">')
  o.push('<head>')
  o.push('<meta charset="utf-8">')
  o.push(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`
  )
  o.push('<meta name="viewport" content="width=device-width, initial-scale=1">')
  o.push(`<meta name="generator" content="peregrine ${html(r.tool.version)}">`)
  o.push(`<title>${html(r.title)}</title>`)
  o.push(`<style>${CSS}${PRIORITY_CSS}\n</style>`)
  o.push('</head>')
  o.push('<body>')
  o.push('<main>')
  o.push(`<h1>${html(r.title)}</h1>`)
  o.push(
    `<p class="meta">Generated ${mono(r.generatedAt)} by Peregrine ${html(r.tool.version)} from ${mono(e.name)} (SHA-256 ${mono(e.sha256)}). All times are UTC.</p>`
  )
  o.push(
    '<nav><ol><li><a href="#summary">Executive summary</a></li><li><a href="#evidence">Evidence</a></li><li><a href="#rules">Rules</a></li><li><a href="#quality">Data quality</a></li><li><a href="#timeline">Timeline</a></li><li><a href="#findings">Findings</a></li><li><a href="#iocs">Indicators of compromise</a></li><li><a href="#activity">Commands from shells and I/O</a></li><li><a href="#notes">Analyst notes</a></li><li><a href="#appendix">Appendix</a></li></ol></nav>'
  )

  // ---- summary
  o.push('<h2 id="summary">Executive summary</h2>')
  o.push('<div class="cards">')
  o.push(
    `<div class="card"><div class="v">${String(s.alerts)}</div><div class="k">alerts${s.alerts < s.alertsAll ? ` (of ${String(s.alertsAll)})` : ''}</div></div>`
  )
  for (const p of s.byPriority)
    o.push(
      `<div class="card"><div class="v fg-${p.key}">${String(p.count)}</div><div class="k">${p.key}</div></div>`
    )
  o.push(
    `<div class="card"><div class="v">${String(s.rulesFired.length)}</div><div class="k">rules fired</div></div>`
  )
  o.push(
    `<div class="card"><div class="v">${String(s.processes.length)}</div><div class="k">alerting processes</div></div>`
  )
  o.push('</div>')
  o.push(
    kv([
      ['First suspicious activity', t(s.firstSuspicious)],
      ['Last suspicious activity', t(s.lastSuspicious)],
      ['Hosts', s.hosts.length === 0 ? '<span class="muted">unknown</span>' : html(s.hosts.join(', '))],
      [
        'Containers',
        s.containers.length === 0
          ? '<span class="muted">none</span>'
          : s.containers
              .map((c) => `${mono(c.id)} ${html([c.name, c.image].filter((x) => x !== null).join(' '))}`)
              .join('<br>')
      ],
      ['Users', s.users.length === 0 ? '<span class="muted">none</span>' : html(s.users.join(', '))],
      [
        'Tactics',
        s.byTactic.length === 0
          ? '<span class="muted">none</span>'
          : s.byTactic
              .map(
                (x) =>
                  `${html(x.tactic === null ? '(no tactic tag)' : x.tactic.id === null ? x.tactic.name : `${x.tactic.id} ${x.tactic.name}`)}: ${String(x.count)}`
              )
              .join('<br>')
      ]
    ])
  )
  o.push('<h3>Rules fired</h3>')
  o.push(
    table(
      ['Rule', 'Priority', 'Alerts'],
      s.rulesFired.map((x, i) => [
        `<a href="#finding-${String(i + 1)}">${html(x.rule)}</a>`,
        badge(x.priority),
        String(x.count)
      ]),
      [2]
    )
  )
  o.push('<h3>Affected processes</h3>')
  o.push(
    table(
      ['Process', 'User', 'Container', 'Command line', 'Alerts'],
      s.processes.map((p) => [
        html(`${p.name} (${String(p.pid)})`),
        html(p.user),
        p.container === null ? '' : mono(p.container),
        mono(p.cmdline),
        String(p.alerts)
      ]),
      [4]
    )
  )

  // ---- evidence
  o.push('<h2 id="evidence">Evidence</h2>')
  o.push(
    kv([
      ['Capture', mono(e.name)],
      ['Path', mono(e.path)],
      ['Size', `${html(bytesText(e.sizeBytes))}${e.compressed ? ' (gzip)' : ''}`],
      ['SHA-256', mono(e.sha256)],
      ['Format version', html(`${e.formatVersion}, ${String(e.sections)} section(s)`)],
      ['Host', html(e.hostname === '' ? 'unknown' : e.hostname)],
      [
        'Kernel / OS',
        e.kernel === null ? '<span class="muted">not recorded in the capture</span>' : html(e.kernel)
      ],
      [
        'Hardware',
        e.hardware === null ? '<span class="muted">not recorded in the capture</span>' : html(e.hardware)
      ],
      ['CPUs', String(e.numCpus)],
      [
        'Memory',
        e.memoryBytes === null ? '<span class="muted">unknown</span>' : html(bytesText(e.memoryBytes))
      ],
      ['Boot time', t(e.bootTime)],
      ['Time range', `${t(e.start)} → ${t(e.end)} (${html(durationText(e.durationNs))})`],
      ['Events', String(e.events)],
      [
        'Processes / threads / containers',
        `${String(e.processes)} / ${String(e.threads)} / ${String(e.containers)}`
      ],
      [
        'Recorder',
        e.recorder === null ? '<span class="muted">not recorded in the capture</span>' : html(e.recorder)
      ],
      ['Indexed', html(`${e.indexedAt ?? 'unknown'} by Peregrine ${e.indexedBy ?? 'unknown'}`)]
    ])
  )

  // ---- rules
  o.push('<h2 id="rules">Tool and rules</h2>')
  o.push(
    kv([
      ['Tool', html(`Peregrine ${r.tool.version}`)],
      [
        'Rules run',
        r.rules.runId === null
          ? '<span class="muted">none</span>'
          : html(`#${String(r.rules.runId)} ${r.rules.status ?? ''}, started ${r.rules.startedAt ?? ''}`)
      ],
      [
        'Rules',
        html(
          `${String(r.rules.rulesEnabled)} enabled of ${String(r.rules.rulesLoaded)} loaded; ${String(r.rules.eventsEvaluated)} events evaluated`
        )
      ],
      ['Minimum priority', html(r.rules.minPriority ?? 'all priorities')]
    ])
  )
  o.push(
    table(
      ['Rule file', 'SHA-256', 'On disk now'],
      r.rules.files.map((f) => [
        mono(f.path),
        mono(f.sha256),
        f.unchanged ? 'unchanged' : '<strong>changed or missing</strong>'
      ])
    )
  )
  if (r.rules.diagnostics.length > 0)
    o.push(
      '<h4>Rule load diagnostics</h4>' +
        table(
          ['Severity', 'File', 'Line', 'Message'],
          r.rules.diagnostics.map((d) => [
            html(d.severity),
            mono(d.file),
            d.line === null ? '' : String(d.line),
            html(d.message)
          ])
        )
    )

  // ---- quality
  o.push('<h2 id="quality">Data quality</h2>')
  o.push(
    q.complete
      ? '<p class="ok">The capture was read to its end.</p>'
      : `<p class="warn">The capture could not be read to its end: ${html(q.error ?? 'damaged')}. Events after that point are missing.</p>`
  )
  o.push(`<p>Dropped events reported by the capture: <strong>${String(q.drops)}</strong>.</p>`)
  o.push(
    table(
      ['Severity', 'Stage', 'Counter', 'Count', 'Meaning'],
      q.items.map((x) => [
        html(x.severity),
        html(x.stage),
        mono(x.code),
        String(x.count),
        html(x.message ?? '')
      ]),
      [3]
    )
  )
  for (const w of q.warnings) o.push(`<p class="warn">${html(w)}</p>`)

  // ---- timeline
  o.push('<h2 id="timeline">Timeline</h2>')
  o.push(timelineSvg(r.timeline))
  o.push(
    table(
      ['Time (UTC)', 'Kind', 'What'],
      r.timeline.entries.map((x) => [
        t(x),
        x.kind === 'alert' && x.priority !== null ? badge(x.priority) : html(x.kind),
        x.kind === 'alert' ? `<strong>${html(x.rule ?? '')}</strong><br>${mono(x.text)}` : mono(x.text)
      ])
    )
  )
  if (r.timeline.truncated)
    o.push('<p class="muted">The timeline lists the first alerts and key events only.</p>')

  // ---- findings
  o.push('<h2 id="findings">Findings</h2>')
  if (r.findings.length === 0) o.push('<p>No rule fired.</p>')
  r.findings.forEach((f, i) => o.push(finding(f, i)))

  // ---- IOCs
  const c = r.iocs
  o.push('<h2 id="iocs">Indicators of compromise</h2>')
  o.push('<h3>Remote addresses and ports</h3>')
  o.push(
    table(
      ['Address', 'Port', 'Proto', 'Direction', 'Processes', 'Count', 'First (UTC)'],
      c.remoteEndpoints.map((x) => [
        mono(x.address) + (x.loopback ? ' <span class="muted">(local)</span>' : ''),
        String(x.port),
        html(x.proto),
        html(x.direction),
        html(x.processes.join(', ')),
        String(x.count),
        t(x.first)
      ]),
      [1, 5]
    )
  )
  o.push('<h3>Files written</h3>')
  o.push(
    table(
      ['Path', 'Writes', 'Processes', 'Sensitive'],
      c.filesWritten.map((x) => [
        mono(x.path),
        String(x.writes),
        html(x.processes.join(', ')),
        html(x.sensitive ?? '')
      ]),
      [1]
    )
  )
  o.push('<h3>Files executed</h3>')
  o.push(
    table(
      ['Path', 'Processes', 'First (UTC)'],
      c.filesExecuted.map((x) => [mono(x.path), html(x.processes.join(', ')), t(x.first)])
    )
  )
  o.push('<h3>Sensitive files read</h3>')
  o.push(
    table(
      ['Path', 'Class', 'Reads', 'Processes'],
      c.sensitiveFilesRead.map((x) => [
        mono(x.path),
        html(x.sensitive),
        String(x.reads),
        html(x.processes.join(', '))
      ]),
      [2]
    )
  )
  o.push('<h3>Commands run</h3>')
  o.push(
    table(
      ['Time (UTC)', 'PID', 'User', 'Container', 'Command line'],
      c.commands.map((x) => [
        t(x.ts),
        String(x.pid),
        html(x.user),
        x.container === null ? '' : mono(x.container),
        (x.alerting ? '<strong>⚠</strong> ' : '') + mono(x.cmdline)
      ]),
      [1]
    )
  )
  if (c.truncated)
    o.push('<p class="muted">Some indicator lists were cut; the JSON report holds the same lists.</p>')

  // ---- activity
  const a = r.activity
  o.push('<h2 id="activity">Commands from shells and I/O</h2>')
  o.push('<h3>Commands run from shells</h3>')
  o.push(
    table(
      ['Time (UTC)', 'User', 'Login user', 'PID', 'Shell PID', 'TTY', 'Container', 'Command line'],
      a.commands.map((x) => [
        t(x.ts),
        html(x.user),
        html(x.loginUser),
        String(x.pid),
        String(x.shellPid),
        String(x.tty),
        x.container === null ? '' : mono(x.container),
        mono(x.cmdline)
      ]),
      [3, 4, 5]
    )
  )
  o.push(omitted(a.commandsOmitted, 'commands'))
  const ioTable = (rows: IoRef[], what: string): string =>
    table(
      [what, 'Read', 'Written', 'Processes'],
      rows.map((x) => [
        mono(x.name) + (x.proto === null ? '' : ` <span class="muted">${html(x.proto)}</span>`),
        html(bytesText(x.bytesRead)),
        html(bytesText(x.bytesWritten)),
        html(x.processes.join(', '))
      ]),
      [1, 2]
    )
  if (a.ioIndexed) {
    o.push('<h3>Top files by bytes</h3>')
    o.push(ioTable(a.topFiles, 'File'))
    o.push('<h3>Top connections by bytes</h3>')
    o.push(ioTable(a.topConnections, 'Connection'))
  } else o.push('<p class="warn">This index has no I/O byte counts; re-index the capture to add them.</p>')

  // ---- notes
  o.push('<h2 id="notes">Analyst notes</h2>')
  o.push(
    r.notes === null || r.notes.trim() === ''
      ? '<p class="muted">No notes.</p>'
      : `<pre>${html(r.notes, false)}</pre>`
  )

  // ---- appendix
  o.push('<h2 id="appendix">Appendix: rules that ran</h2>')
  o.push(
    table(
      ['Rule', 'Priority', 'Tactic', 'Technique', 'Fired', 'Description'],
      r.appendix.rules.map((x) => [
        html(x.name),
        badge(x.priority),
        tactics(x.tactics),
        techniques(x.techniques),
        String(x.fired),
        html(x.description ?? '')
      ]),
      [4]
    )
  )
  o.push('<h3>Alerts as Falco JSON lines</h3>')
  o.push(
    r.falcoJson.length === 0
      ? '<p class="muted">No alerts.</p>'
      : `<pre>${html(r.falcoJson.join('\n'), false)}</pre>`
  )
  o.push('</main>')
  o.push('</body>')
  o.push('</html>')
  return o.join('\n') + '\n'
}

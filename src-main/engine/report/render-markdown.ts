/**
 * The report as GitHub-flavoured Markdown, readable on a Git forge: tables for lists, fenced blocks for
 * commands, alert outputs and lineage trees. Capture strings go through md() (HTML and Markdown syntax
 * escaped, `|` escaped in tables) or into fences that they cannot close (mdFence).
 */
import { md, mdFence, mdFenceLines } from './escape'
import type {
  Finding,
  IncidentReport,
  Instant,
  IoRef,
  LineageNode,
  ReportTactic,
  ReportTechnique
} from './report-types'
import { bytesText, durationText } from './text-format'

function t(i: Instant | null): string {
  return i === null ? 'unknown' : md(i.utc)
}

function table(head: string[], rows: string[][], numCols: number[] = []): string {
  if (rows.length === 0) return '_None._\n'
  const align = head.map((_, i) => (numCols.includes(i) ? '---:' : '---'))
  const line = (cells: string[]): string => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`
  return [line(head), line(align), ...rows.map(line)].join('\n') + '\n'
}

function kv(rows: [string, string][]): string {
  return table(
    ['', ''],
    rows.map(([k, v]) => [`**${k}**`, v])
  )
}

function tactics(ts: readonly ReportTactic[]): string {
  return ts.length === 0
    ? 'none'
    : ts.map((x) => md(x.id === null ? x.name : `${x.id} ${x.name}`)).join('<br>')
}

function techniques(ts: readonly ReportTechnique[]): string {
  return ts.length === 0 ? 'none' : ts.map((x) => md(x.label)).join('<br>')
}

/** The lineage forest as an indented text tree (in a fence). */
export function lineageText(nodes: readonly LineageNode[]): string[] {
  const present = new Set(nodes.map((x) => x.upid))
  const depth = new Map<number, number>()
  const lines: string[] = []
  for (const x of nodes) {
    const d = x.parentUpid !== null && present.has(x.parentUpid) ? (depth.get(x.parentUpid) ?? 0) + 1 : 0
    depth.set(x.upid, d)
    const mark = x.alerting ? ' <== alert' : ''
    lines.push(
      `${'  '.repeat(d)}${d > 0 ? '└─ ' : ''}${x.name}[${String(x.pid)}] ${x.user === '' ? '' : `(${x.user}) `}${x.cmdline}${mark}`
    )
  }
  return lines
}

function omitted(n: number, what: string): string {
  return n > 0 ? `_${String(n)} more ${what} not listed._\n` : ''
}

function finding(f: Finding, i: number): string {
  const o: string[] = []
  o.push(`### ${String(i + 1)}. ${md(f.rule)} (${f.priority})\n`)
  o.push(
    kv([
      ['Alerts', `${String(f.count)} (first ${t(f.first)}, last ${t(f.last)})`],
      ['MITRE ATT&CK tactic', tactics(f.tactics)],
      ['MITRE ATT&CK technique', techniques(f.techniques)],
      ['Tags', md(f.tags.join(', '))],
      ['Description', f.description === null ? 'not available' : md(f.description)]
    ])
  )
  o.push('#### Alert outputs\n')
  o.push(
    f.alerts.length === 0
      ? '_None._\n'
      : mdFenceLines(f.alerts.map((a) => `${a.utc} #${String(a.num)} ${a.output}`)) + '\n'
  )
  o.push(omitted(f.alertsOmitted, 'alerts'))
  o.push('#### Triggering events\n')
  o.push(
    table(
      ['#', 'Time (UTC)', 'Process', 'Event', 'fd', 'Arguments'],
      f.events.map((e) => [
        String(e.num),
        t(e),
        md(`${e.procName} (${String(e.pid)}/${String(e.tid)})`),
        md(`${e.dir} ${e.type}`),
        md(e.fdName ?? ''),
        md(e.info)
      ]),
      [0]
    )
  )
  o.push('#### Process lineage\n')
  o.push(
    f.lineage.length === 0
      ? '_No process is known for these alerts._\n'
      : mdFenceLines(lineageText(f.lineage)) + '\n'
  )
  o.push('#### Related file activity\n')
  o.push(
    table(
      ['Time (UTC)', 'Process', 'Operation', 'Path', 'Result', 'Sensitive'],
      f.files.map((x) => [
        t(x),
        md(`${x.procName} (${String(x.pid)})`),
        md(`${x.op} ${x.access}`.trim()),
        md(x.path),
        md(x.res ?? ''),
        md(x.sensitive ?? '')
      ])
    )
  )
  o.push(omitted(f.filesOmitted, 'file operations (plain reads)'))
  o.push('#### Related network activity\n')
  o.push(
    table(
      ['First (UTC)', 'Process', 'Direction', 'Proto', 'Connection', 'Count'],
      f.network.map((x) => [
        t(x),
        md(`${x.procName} (${String(x.pid)})`),
        md(x.direction + (x.loopback ? ' (local)' : '')),
        md(x.proto),
        md(x.tuple),
        String(x.count)
      ]),
      [5]
    )
  )
  o.push(omitted(f.networkOmitted, 'connections'))
  return o.join('\n')
}

export function renderMarkdown(r: IncidentReport): string {
  const e = r.evidence
  const s = r.summary
  const q = r.dataQuality
  const o: string[] = []
  o.push(`# ${md(r.title)}\n`)
  o.push(
    `Generated ${md(r.generatedAt)} by Peregrine ${md(r.tool.version)} from \`${e.sha256}\` (${md(e.name)}). All times are UTC.\n`
  )

  o.push('## Executive summary\n')
  o.push(
    kv([
      [
        'Alerts',
        `${String(s.alerts)}${s.alerts < s.alertsAll ? ` (of ${String(s.alertsAll)}; lower priorities left out)` : ''}`
      ],
      [
        'By priority',
        s.byPriority.length === 0
          ? 'none'
          : s.byPriority.map((p) => `${p.key}: ${String(p.count)}`).join(', ')
      ],
      ['Rules fired', String(s.rulesFired.length)],
      ['First suspicious activity', t(s.firstSuspicious)],
      ['Last suspicious activity', t(s.lastSuspicious)],
      ['Hosts', s.hosts.length === 0 ? 'unknown' : md(s.hosts.join(', '))],
      [
        'Containers',
        s.containers.length === 0
          ? 'none'
          : s.containers
              .map((c) => md([c.id, c.name, c.image].filter((x) => x !== null).join(' ')))
              .join('<br>')
      ],
      ['Users', s.users.length === 0 ? 'none' : md(s.users.join(', '))],
      [
        'Tactics',
        s.byTactic.length === 0
          ? 'none'
          : s.byTactic
              .map(
                (x) =>
                  `${md(x.tactic === null ? '(no tactic tag)' : x.tactic.id === null ? x.tactic.name : `${x.tactic.id} ${x.tactic.name}`)}: ${String(x.count)}`
              )
              .join('<br>')
      ]
    ])
  )
  o.push('### Rules fired\n')
  o.push(
    table(
      ['Rule', 'Priority', 'Alerts'],
      s.rulesFired.map((x) => [md(x.rule), x.priority, String(x.count)]),
      [2]
    )
  )
  o.push('### Affected processes\n')
  o.push(
    table(
      ['Process', 'User', 'Container', 'Command line', 'Alerts'],
      s.processes.map((p) => [
        md(`${p.name} (${String(p.pid)})`),
        md(p.user),
        md(p.container ?? ''),
        md(p.cmdline),
        String(p.alerts)
      ]),
      [4]
    )
  )

  o.push('## Evidence\n')
  o.push(
    kv([
      ['Capture', md(e.name)],
      ['Path', md(e.path)],
      ['Size', `${md(bytesText(e.sizeBytes))}${e.compressed ? ' (gzip)' : ''}`],
      ['SHA-256', `\`${e.sha256}\``],
      ['Format version', md(`${e.formatVersion}, ${String(e.sections)} section(s)`)],
      ['Host', md(e.hostname === '' ? 'unknown' : e.hostname)],
      ['Kernel / OS', e.kernel === null ? 'not recorded in the capture' : md(e.kernel)],
      ['Hardware', e.hardware === null ? 'not recorded in the capture' : md(e.hardware)],
      ['CPUs', String(e.numCpus)],
      ['Memory', e.memoryBytes === null ? 'unknown' : md(bytesText(e.memoryBytes))],
      ['Boot time', t(e.bootTime)],
      ['Time range', `${t(e.start)} → ${t(e.end)} (${md(durationText(e.durationNs))})`],
      ['Events', String(e.events)],
      [
        'Processes / threads / containers',
        `${String(e.processes)} / ${String(e.threads)} / ${String(e.containers)}`
      ],
      ['Recorder', e.recorder === null ? 'not recorded in the capture' : md(e.recorder)],
      ['Indexed', md(`${e.indexedAt ?? 'unknown'} by Peregrine ${e.indexedBy ?? 'unknown'}`)]
    ])
  )

  o.push('## Tool and rules\n')
  o.push(
    kv([
      ['Tool', md(`Peregrine ${r.tool.version}`)],
      [
        'Rules run',
        r.rules.runId === null
          ? 'none'
          : md(`#${String(r.rules.runId)} ${r.rules.status ?? ''}, started ${r.rules.startedAt ?? ''}`)
      ],
      [
        'Rules',
        md(
          `${String(r.rules.rulesEnabled)} enabled of ${String(r.rules.rulesLoaded)} loaded; ${String(r.rules.eventsEvaluated)} events evaluated`
        )
      ],
      ['Minimum priority', r.rules.minPriority ?? 'all priorities']
    ])
  )
  o.push(
    table(
      ['Rule file', 'SHA-256', 'On disk now'],
      r.rules.files.map((f) => [
        md(f.path),
        `\`${f.sha256}\``,
        f.unchanged ? 'unchanged' : '**changed or missing**'
      ])
    )
  )
  if (r.rules.diagnostics.length > 0) {
    o.push('### Rule load diagnostics\n')
    o.push(
      table(
        ['Severity', 'File', 'Line', 'Message'],
        r.rules.diagnostics.map((d) => [
          md(d.severity),
          md(d.file),
          d.line === null ? '' : String(d.line),
          md(d.message)
        ])
      )
    )
  }

  o.push('## Data quality\n')
  o.push(
    q.complete
      ? 'The capture was read to its end.\n'
      : `**The capture could not be read to its end:** ${md(q.error ?? 'damaged')}. Events after that point are missing.\n`
  )
  o.push(`Dropped events reported by the capture: **${String(q.drops)}**.\n`)
  o.push(
    table(
      ['Severity', 'Stage', 'Counter', 'Count', 'Meaning'],
      q.items.map((x) => [md(x.severity), md(x.stage), md(x.code), String(x.count), md(x.message ?? '')]),
      [3]
    )
  )
  if (q.warnings.length > 0) o.push(q.warnings.map((w) => `> **Warning:** ${md(w)}`).join('\n>\n') + '\n')

  o.push('## Timeline\n')
  o.push(
    table(
      ['Time (UTC)', 'Kind', 'What'],
      r.timeline.entries.map((x) => [
        t(x),
        x.kind === 'alert' ? `**${x.priority ?? ''}**` : md(x.kind),
        x.kind === 'alert' ? `**${md(x.rule ?? '')}**: ${md(x.text)}` : md(x.text)
      ])
    )
  )
  if (r.timeline.truncated) o.push('_The timeline lists the first alerts and key events only._\n')

  o.push('## Findings\n')
  if (r.findings.length === 0) o.push('No rule fired.\n')
  r.findings.forEach((f, i) => o.push(finding(f, i)))

  const c = r.iocs
  o.push('## Indicators of compromise\n')
  o.push('### Remote addresses and ports\n')
  o.push(
    table(
      ['Address', 'Port', 'Proto', 'Direction', 'Processes', 'Count', 'First (UTC)'],
      c.remoteEndpoints.map((x) => [
        md(x.address) + (x.loopback ? ' (local)' : ''),
        String(x.port),
        md(x.proto),
        md(x.direction),
        md(x.processes.join(', ')),
        String(x.count),
        t(x.first)
      ]),
      [1, 5]
    )
  )
  o.push('### Files written\n')
  o.push(
    table(
      ['Path', 'Writes', 'Processes', 'Sensitive'],
      c.filesWritten.map((x) => [
        md(x.path),
        String(x.writes),
        md(x.processes.join(', ')),
        md(x.sensitive ?? '')
      ]),
      [1]
    )
  )
  o.push('### Files executed\n')
  o.push(
    table(
      ['Path', 'Processes', 'First (UTC)'],
      c.filesExecuted.map((x) => [md(x.path), md(x.processes.join(', ')), t(x.first)])
    )
  )
  o.push('### Sensitive files read\n')
  o.push(
    table(
      ['Path', 'Class', 'Reads', 'Processes'],
      c.sensitiveFilesRead.map((x) => [
        md(x.path),
        md(x.sensitive),
        String(x.reads),
        md(x.processes.join(', '))
      ]),
      [2]
    )
  )
  o.push('### Commands run\n')
  o.push(
    c.commands.length === 0
      ? '_None._\n'
      : mdFenceLines(
          c.commands.map(
            (x) =>
              `${x.ts?.utc ?? ''} pid ${String(x.pid)} ${x.user === '' ? '' : `${x.user} `}${x.container === null ? '' : `[${x.container}] `}${x.alerting ? '(alerting) ' : ''}$ ${x.cmdline}`
          ),
          'console'
        ) + '\n'
  )
  if (c.truncated) o.push('_Some indicator lists were cut; the JSON report holds the same lists._\n')

  const a = r.activity
  o.push('## Commands from shells and I/O\n')
  o.push('### Commands run from shells\n')
  o.push(
    a.commands.length === 0
      ? '_None._\n'
      : mdFenceLines(
          a.commands.map(
            (x) =>
              `${x.ts.utc} ${x.user}${x.loginUser === '' || x.loginUser === x.user ? '' : ` (login ${x.loginUser})`} pid ${String(x.pid)} shell ${String(x.shellPid)} tty ${String(x.tty)}${x.container === null ? '' : ` [${x.container}]`} $ ${x.cmdline}`
          ),
          'console'
        ) + '\n'
  )
  o.push(omitted(a.commandsOmitted, 'commands'))
  const ioTable = (rows: IoRef[], what: string): string =>
    table(
      [what, 'Read', 'Written', 'Processes'],
      rows.map((x) => [
        md(x.name) + (x.proto === null ? '' : ` (${md(x.proto)})`),
        md(bytesText(x.bytesRead)),
        md(bytesText(x.bytesWritten)),
        md(x.processes.join(', '))
      ]),
      [1, 2]
    )
  if (a.ioIndexed) {
    o.push('### Top files by bytes\n')
    o.push(ioTable(a.topFiles, 'File'))
    o.push('### Top connections by bytes\n')
    o.push(ioTable(a.topConnections, 'Connection'))
  } else o.push('_This index has no I/O byte counts; re-index the capture to add them._\n')

  o.push('## Analyst notes\n')
  o.push(r.notes === null || r.notes.trim() === '' ? '_No notes._\n' : mdFence(r.notes) + '\n')

  o.push('## Appendix: rules that ran\n')
  o.push(
    table(
      ['Rule', 'Priority', 'Tactic', 'Technique', 'Fired', 'Description'],
      r.appendix.rules.map((x) => [
        md(x.name),
        x.priority,
        tactics(x.tactics),
        techniques(x.techniques),
        String(x.fired),
        md(x.description ?? '')
      ]),
      [4]
    )
  )
  o.push('### Alerts as Falco JSON lines\n')
  o.push(r.falcoJson.length === 0 ? '_No alerts._\n' : mdFenceLines(r.falcoJson, 'json') + '\n')
  return o.join('\n')
}

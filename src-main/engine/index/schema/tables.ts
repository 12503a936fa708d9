/**
 * The index schema as data: every table, column and secondary index with its meaning. The migrations
 * create exactly this (a test compares `PRAGMA table_info` of a migrated database with it), and
 * `docs/index-schema.md` documents it.
 *
 * Conventions:
 * - Times (`*_ts`, `ts`) are INTEGER nanoseconds relative to `capture.base_ts` (the first event's time, a
 *   decimal u64 string): exact as JS numbers for any capture shorter than 104 days, so no bigint on the hot
 *   path. Absolute time = base_ts + ts.
 * - Strings that repeat (fd names, paths) are interned in `strings` and referenced by id.
 * - `upid`/`utid` are surrogate process/thread ids given by the state engine (pids recycle).
 * - Secondary indexes are created after the bulk load (faster than maintaining them row by row).
 */

export type SqlType = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL'

export interface ColumnDef {
  name: string
  type: SqlType
  doc: string
  /** NOT NULL */
  required?: boolean
  /** INTEGER PRIMARY KEY (rowid alias) or part of a composite primary key */
  pk?: boolean
  /** schema version that added the column to an existing table (default: the table's) */
  since?: number
}

export interface IndexDef {
  name: string
  on: string
  /** optional partial-index condition */
  where?: string
}

export interface TableDef {
  name: string
  doc: string
  columns: ColumnDef[]
  /** WITHOUT ROWID tables with a composite key */
  withoutRowid?: boolean
  /** built after the bulk load */
  indexes?: IndexDef[]
  /** schema version that introduced the table */
  since: number
}

const c = (name: string, type: SqlType, doc: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type,
  doc,
  ...extra
})

export const TABLES: readonly TableDef[] = [
  {
    name: 'meta',
    since: 1,
    doc: 'Key/value facts about the index itself (builder version, build state, fine timeline width).',
    columns: [c('key', 'TEXT', 'name', { pk: true, required: true }), c('value', 'TEXT', 'value')],
    withoutRowid: true
  },
  {
    name: 'capture',
    since: 1,
    doc: 'The indexed capture: one row (id = 1).',
    columns: [
      c('id', 'INTEGER', 'always 1', { pk: true }),
      c('path', 'TEXT', 'path the capture was indexed from', { required: true }),
      c('name', 'TEXT', 'file name', { required: true }),
      c('size', 'INTEGER', 'file size in bytes', { required: true }),
      c('sha256', 'TEXT', 'SHA-256 of the file bytes (hex): the content key of the index', {
        required: true
      }),
      c('compressed', 'INTEGER', '1 when the file is gzip-compressed', { required: true }),
      c('uncompressed_bytes', 'INTEGER', 'bytes of the decompressed stream that were read'),
      c('format_version', 'TEXT', 'section header version of the first section, e.g. "1.2"'),
      c('sections', 'INTEGER', 'section header blocks'),
      c('hostname', 'TEXT', 'machine info: host name'),
      c('num_cpus', 'INTEGER', 'machine info: CPUs'),
      c('memory_bytes', 'INTEGER', 'machine info: memory'),
      c('boot_ts', 'TEXT', 'machine info: boot time, ns since the epoch (decimal), "0" when unknown'),
      c('base_ts', 'TEXT', 'origin of every relative time in the index: ns since the epoch (decimal)'),
      c('first_ts', 'INTEGER', 'earliest event time (relative)'),
      c('last_ts', 'INTEGER', 'latest event time (relative)'),
      c('events', 'INTEGER', 'events indexed', { required: true }),
      c('complete', 'INTEGER', '1 when the decoder read the whole file; 0 when it stopped at damage', {
        required: true
      }),
      c('error', 'TEXT', 'the fatal decoding error as JSON ({code, message, offset, block}), or NULL'),
      c('blocks', 'TEXT', 'block counts by type name, JSON'),
      c('indexed_at', 'TEXT', 'ISO time the index was built'),
      c('index_ms', 'INTEGER', 'build time in milliseconds'),
      c('tool_version', 'TEXT', 'Peregrine version that built the index')
    ]
  },
  {
    name: 'import_stats',
    since: 1,
    doc: 'Every named counter of the import (drops, unknown events, truncation, enter without exit, ...), with its severity: nothing is silently dropped.',
    columns: [
      c('code', 'TEXT', 'stable counter name, e.g. "unknown-event-type"', { pk: true, required: true }),
      c('source', 'TEXT', 'stage that counted it: capture | state | rules | index', { required: true }),
      c('severity', 'TEXT', 'info | warning | data-loss', { required: true }),
      c('count', 'INTEGER', 'occurrences', { required: true }),
      c('message', 'TEXT', 'what it means (first occurrence)'),
      c('first_offset', 'INTEGER', 'byte offset of the first occurrence in the uncompressed stream')
    ],
    withoutRowid: true
  },
  {
    name: 'strings',
    since: 1,
    doc: 'Interned strings (fd names, paths) referenced by id from the other tables.',
    columns: [c('id', 'INTEGER', 'string id', { pk: true }), c('s', 'TEXT', 'the string', { required: true })]
  },
  {
    name: 'event_types',
    since: 1,
    doc: 'Event types seen: one row per (event code, evt.type name). Generic syscall events get one row per syscall name.',
    columns: [
      c('id', 'INTEGER', 'type id used by events.etype', { pk: true }),
      c('code', 'INTEGER', 'PPME event code', { required: true }),
      c('name', 'TEXT', 'evt.type as sysdig prints it', { required: true }),
      c('dir', 'TEXT', '">" enter or "<" exit', { required: true }),
      c(
        'category',
        'INTEGER',
        'timeline category: 0 other, 1 process, 2 file, 3 network, -1 decided by the fd type',
        {
          required: true
        }
      ),
      c('count', 'INTEGER', 'events of this type', { required: true })
    ]
  },
  {
    name: 'users',
    since: 1,
    doc: 'Users from the capture user list.',
    columns: [
      c('uid', 'INTEGER', 'uid', { pk: true }),
      c('name', 'TEXT', 'user name'),
      c('home', 'TEXT', 'home directory'),
      c('shell', 'TEXT', 'login shell')
    ]
  },
  {
    name: 'containers',
    since: 1,
    doc: 'Containers seen (from container events and cgroups).',
    columns: [
      c('id', 'TEXT', 'container id (12 hex digits; "host" for the host)', { pk: true, required: true }),
      c('name', 'TEXT', 'container name'),
      c('image', 'TEXT', 'image'),
      c('type', 'TEXT', 'runtime (docker, cri, ...)'),
      c('privileged', 'INTEGER', '1 when privileged, NULL when unknown')
    ],
    withoutRowid: true
  },
  {
    name: 'processes',
    since: 1,
    doc: 'Processes with surrogate ids: a pid reused later is a new row. An execve updates the row (name, exe, command line); the thread group leader defines it.',
    columns: [
      c('upid', 'INTEGER', 'surrogate process id', { pk: true }),
      c('pid', 'INTEGER', 'OS pid (host namespace)', { required: true }),
      c('vpid', 'INTEGER', 'pid inside its pid namespace'),
      c('ppid', 'INTEGER', 'OS parent pid'),
      c('parent_upid', 'INTEGER', 'surrogate id of the parent, NULL when unknown'),
      c('name', 'TEXT', 'proc.name (comm after the last execve)'),
      c('exe', 'TEXT', 'proc.exe (argv[0])'),
      c('exepath', 'TEXT', 'proc.exepath'),
      c('cmdline', 'TEXT', 'proc.cmdline: name and arguments'),
      c('args', 'TEXT', 'proc.args: arguments joined with spaces'),
      c('cwd', 'TEXT', 'working directory'),
      c('uid', 'INTEGER', 'user id'),
      c('user', 'TEXT', 'user name'),
      c('loginuid', 'INTEGER', 'login (audit) uid; -1 when unset'),
      c('loginuser', 'TEXT', 'login user name'),
      c('tty', 'INTEGER', 'controlling terminal (0 none)'),
      c('sid', 'INTEGER', 'session id'),
      c('container_id', 'TEXT', 'container id, "host" outside containers'),
      c('start_ts', 'INTEGER', 'clone/fork time, NULL when it existed before the capture'),
      c('exec_ts', 'INTEGER', 'time of the last successful execve'),
      c('end_ts', 'INTEGER', 'procexit time, NULL when it outlived the capture'),
      c('exit_status', 'INTEGER', 'exit status from procexit'),
      c('from_snapshot', 'INTEGER', '1 when first known from the process list snapshot', { required: true }),
      c('first_num', 'INTEGER', 'first event of the process'),
      c('last_num', 'INTEGER', 'last event of the process'),
      c(
        'events',
        'INTEGER',
        'events of its threads that sysdig prints (hidden internal events not counted)',
        { required: true }
      )
    ],
    indexes: [
      { name: 'processes_parent', on: 'parent_upid' },
      { name: 'processes_pid', on: 'pid' }
    ]
  },
  {
    name: 'threads',
    since: 1,
    doc: 'Threads with surrogate ids.',
    columns: [
      c('utid', 'INTEGER', 'surrogate thread id', { pk: true }),
      c('tid', 'INTEGER', 'OS tid', { required: true }),
      c('upid', 'INTEGER', 'process', { required: true }),
      c('name', 'TEXT', 'comm'),
      c('start_ts', 'INTEGER', 'creation time, NULL when it existed before the capture'),
      c('end_ts', 'INTEGER', 'exit time'),
      c('events', 'INTEGER', 'events of the thread that sysdig prints', { required: true })
    ],
    indexes: [{ name: 'threads_upid', on: 'upid' }]
  },
  {
    name: 'events',
    since: 1,
    doc: 'Every event the capture delivers, in order; kept lean (integers only). evt.num is the row id.',
    columns: [
      c('num', 'INTEGER', 'evt.num', { pk: true }),
      c(
        'ts',
        'INTEGER',
        "time (relative); events with a zero timestamp (old process-info events) get the previous event's time",
        {
          required: true
        }
      ),
      c('etype', 'INTEGER', 'event_types.id', { required: true }),
      c('cpu', 'INTEGER', 'evt.cpu', { required: true }),
      c('utid', 'INTEGER', 'thread, NULL when the event has none'),
      c('upid', 'INTEGER', 'process, NULL when unknown'),
      c('fd', 'INTEGER', 'fd.num the event refers to, NULL when none'),
      c('fdname', 'INTEGER', 'strings.id of fd.name at that moment, NULL when none'),
      c('fdtype', 'INTEGER', 'scap fd type (low byte) | scap l4 protocol << 8, NULL when none'),
      c('res', 'INTEGER', 'result of exit events (negative errno on failure), NULL otherwise'),
      c('cat', 'INTEGER', 'timeline category, as event_types.category but refined by the fd type', {
        required: true
      }),
      c('hidden', 'INTEGER', '1 for internal events sysdig does not print (e.g. process-info)', {
        required: true
      }),
      c(
        'tid',
        'INTEGER',
        "thread.tid from the event header when it is not utid's tid (the event has no thread, e.g. a switch right after its thread's procexit); NULL when it is",
        { since: 4 }
      )
    ],
    // No secondary indexes: on millions of rows each costs seconds to build. The access paths the views
    // need (by process, by type) are posting lists built during the import (event_postings).
    indexes: []
  },
  {
    name: 'event_postings',
    since: 1,
    doc: 'Sorted event numbers per process (kind "upid"), per event type ("etype") and per fd name ("fdname", strings.id), as little-endian u32 arrays: the access paths into events without secondary indexes.',
    columns: [
      c('kind', 'TEXT', 'upid | etype | fdname', { pk: true, required: true }),
      c('key', 'INTEGER', 'the upid, event type id or strings.id', { pk: true, required: true }),
      c('count', 'INTEGER', 'event numbers in the list', { required: true }),
      c('nums', 'BLOB', 'u32 LE event numbers, ascending', { required: true })
    ],
    withoutRowid: true
  },
  {
    name: 'event_raw',
    since: 1,
    doc: 'Event parameters for lazy rendering of arguments, in chunks of up to 256 consecutive events (see index/raw-events.ts for the encoding).',
    columns: [
      c('num', 'INTEGER', 'evt.num of the first event of the chunk', { pk: true }),
      c('raw', 'BLOB', 'the encoded events, back to back', { required: true })
    ]
  },
  {
    name: 'timeline_fine',
    since: 1,
    doc: 'Pre-aggregated event counts per fine time bucket and category (bucket width in meta.fine_bucket_ns), so any timeline window is answered without scanning events.',
    columns: [
      c(
        'section',
        'INTEGER',
        'capture section (concatenated captures repeat times: their events get separate buckets)',
        {
          pk: true,
          required: true
        }
      ),
      c('bucket', 'INTEGER', 'floor(ts / fine_bucket_ns)', { pk: true, required: true }),
      c('cat', 'INTEGER', 'category', { pk: true, required: true }),
      c('events', 'INTEGER', 'visible events (hidden internal events are not counted)', { required: true }),
      c('first_num', 'INTEGER', 'smallest evt.num in the bucket (bounds row scans of narrow windows)', {
        required: true
      }),
      c('last_num', 'INTEGER', 'largest evt.num in the bucket', { required: true })
    ],
    withoutRowid: true
  },
  {
    name: 'file_activity',
    since: 1,
    doc: 'One row per file operation (open, create, unlink, rename, mkdir, rmdir, link, symlink, chmod, chown, exec, truncate) with its result.',
    columns: [
      c('id', 'INTEGER', 'row id', { pk: true }),
      c('num', 'INTEGER', 'exit event', { required: true }),
      c('ts', 'INTEGER', 'time (relative)', { required: true }),
      c('upid', 'INTEGER', 'process'),
      c('utid', 'INTEGER', 'thread'),
      c(
        'op',
        'TEXT',
        'open | create | unlink | rename | mkdir | rmdir | link | symlink | chmod | chown | exec | truncate',
        {
          required: true
        }
      ),
      c('path', 'INTEGER', 'strings.id of the absolute path', { required: true }),
      c('path2', 'INTEGER', 'strings.id of the second path (rename/link target)'),
      c('access', 'INTEGER', 'bits: 1 read, 2 write, 4 exec, 8 create, 16 delete, 32 metadata', {
        required: true
      }),
      c('flags', 'INTEGER', 'open flags / mode as recorded'),
      c('fd', 'INTEGER', 'fd returned by an open'),
      c('res', 'INTEGER', 'result (negative errno on failure)')
    ],
    indexes: [
      { name: 'file_activity_path', on: 'path' },
      { name: 'file_activity_upid', on: 'upid' },
      { name: 'file_activity_ts', on: 'ts' }
    ]
  },
  {
    name: 'connections',
    since: 1,
    doc: 'One row per socket connection event (connect, accept, bind, listen, and unconnected sendto/recvfrom) with the tuple as sysdig names it.',
    columns: [
      c('id', 'INTEGER', 'row id', { pk: true }),
      c('num', 'INTEGER', 'exit event', { required: true }),
      c('ts', 'INTEGER', 'time (relative)', { required: true }),
      c('upid', 'INTEGER', 'process'),
      c('utid', 'INTEGER', 'thread'),
      c('fd', 'INTEGER', 'socket fd'),
      c('op', 'TEXT', 'connect | accept | bind | listen | sendto | recvfrom', { required: true }),
      c('l4proto', 'TEXT', 'tcp | udp | raw | icmp | unix | unknown'),
      c('family', 'INTEGER', '4, 6, or 1 for unix sockets'),
      c('direction', 'TEXT', 'out (we initiated) | in (accepted/received) | listen', { required: true }),
      c('lip', 'TEXT', 'local address'),
      c('lport', 'INTEGER', 'local port'),
      c('rip', 'TEXT', 'remote address (unix: the peer path)'),
      c('rport', 'INTEGER', 'remote port'),
      c('local', 'INTEGER', '1 when the remote end is this host (loopback or unix)', { required: true }),
      c('name', 'INTEGER', 'strings.id of fd.name (e.g. 10.0.0.1:40000->8.8.8.8:53)'),
      c('res', 'INTEGER', 'result (negative errno on failure)')
    ],
    indexes: [
      { name: 'connections_upid', on: 'upid' },
      { name: 'connections_remote', on: 'rip, rport' }
    ]
  },
  {
    name: 'rules_runs',
    since: 1,
    doc: 'Each evaluation of a rule set over the capture (during indexing or later, without re-indexing).',
    columns: [
      c('id', 'INTEGER', 'run id', { pk: true }),
      c('started_at', 'TEXT', 'ISO time', { required: true }),
      c('finished_at', 'TEXT', 'ISO time, NULL while running or when interrupted'),
      c('status', 'TEXT', 'running | complete | cancelled | failed', { required: true }),
      c('files', 'TEXT', 'rule files as JSON [{path, sha256}]', { required: true }),
      c('options', 'TEXT', 'options as JSON (min priority, disabled rules/tags, ...)', { required: true }),
      c('rules_loaded', 'INTEGER', 'rules loaded'),
      c('rules_enabled', 'INTEGER', 'rules enabled'),
      c('events_evaluated', 'INTEGER', 'events the rules were evaluated on'),
      c('alerts', 'INTEGER', 'alerts produced'),
      c('diagnostics', 'TEXT', 'load warnings and errors as JSON [{severity, message, file, line}]'),
      c('active', 'INTEGER', '1 for the run the views show', { required: true })
    ]
  },
  {
    name: 'alerts',
    since: 1,
    doc: 'Alerts produced by a rules run.',
    columns: [
      c('id', 'INTEGER', 'alert id', { pk: true }),
      c('run_id', 'INTEGER', 'rules_runs.id', { required: true }),
      c('rule', 'TEXT', 'rule name', { required: true }),
      c(
        'priority',
        'INTEGER',
        '0 emergency, 1 alert, 2 critical, 3 error, 4 warning, 5 notice, 6 informational, 7 debug',
        {
          required: true
        }
      ),
      c('output', 'TEXT', 'formatted output', { required: true }),
      c('tags', 'TEXT', 'tags, JSON array'),
      c('tactic', 'TEXT', 'first MITRE ATT&CK tactic tag (mitre_*), NULL when none'),
      c('technique', 'TEXT', 'first technique tag (T1234[.001]), NULL when none'),
      c('source', 'TEXT', 'rule source (syscall)'),
      c('num', 'INTEGER', 'triggering event', { required: true }),
      c('ts', 'INTEGER', 'time (relative)', { required: true }),
      c('upid', 'INTEGER', 'process'),
      c('utid', 'INTEGER', 'thread'),
      c('output_fields', 'TEXT', 'values of the fields in the output, JSON object')
    ],
    indexes: [
      { name: 'alerts_run_rule', on: 'run_id, rule' },
      { name: 'alerts_upid', on: 'upid' },
      { name: 'alerts_num', on: 'num' }
    ]
  },
  {
    name: 'io_chunks',
    since: 2,
    doc: 'The data snapshots of the read/write/send/recv families (as much as the recorder snaplen kept), one row per successful I/O event, for following streams.',
    columns: [
      c('num', 'INTEGER', 'exit event', { pk: true }),
      c('ts', 'INTEGER', 'time (relative)', { required: true }),
      c('upid', 'INTEGER', 'process'),
      c('utid', 'INTEGER', 'thread'),
      c('fd', 'INTEGER', 'fd number', { required: true }),
      c('fdname', 'INTEGER', 'strings.id of fd.name'),
      c('fdtype', 'INTEGER', 'scap fd type | l4 protocol << 8'),
      c('dir', 'INTEGER', '0 read (in), 1 write (out)', { required: true }),
      c('len', 'INTEGER', 'bytes transferred (the syscall result)', { required: true }),
      c('data', 'BLOB', 'captured bytes (may be shorter than len)')
    ],
    indexes: [
      { name: 'io_chunks_fd', on: 'upid, fd, num' },
      { name: 'io_chunks_fdname', on: 'fdname, num' }
    ]
  },
  {
    name: 'fd_io',
    since: 2,
    doc: 'Bytes read and written per process and fd name (file, connection tuple, pipe ...), aggregated over the capture.',
    columns: [
      c('id', 'INTEGER', 'row id', { pk: true }),
      c('upid', 'INTEGER', 'process'),
      c('fdname', 'INTEGER', 'strings.id of fd.name', { required: true }),
      c('fdtype', 'INTEGER', 'scap fd type | l4 protocol << 8'),
      c('bytes_read', 'INTEGER', 'bytes read', { required: true }),
      c('bytes_written', 'INTEGER', 'bytes written', { required: true }),
      c('reads', 'INTEGER', 'read events', { required: true }),
      c('writes', 'INTEGER', 'write events', { required: true }),
      c('first_num', 'INTEGER', 'first I/O event'),
      c('last_num', 'INTEGER', 'last I/O event')
    ],
    indexes: [
      { name: 'fd_io_fdname', on: 'fdname' },
      { name: 'fd_io_upid', on: 'upid' }
    ]
  },
  {
    name: 'thread_names',
    since: 3,
    doc: 'What a thread was called over time: one row per interval of events between execve calls (sysdig prints proc.name, proc.exe and proc.cmdline of the thread as they were at each event).',
    columns: [
      c('utid', 'INTEGER', 'thread', { pk: true, required: true }),
      c('from_num', 'INTEGER', 'first event of the interval', { pk: true, required: true }),
      c('to_num', 'INTEGER', 'last event of the interval', { required: true }),
      c('name', 'TEXT', 'proc.name (the thread comm)'),
      c('exe', 'TEXT', 'proc.exe'),
      c('exepath', 'TEXT', 'proc.exepath'),
      c('cmdline', 'TEXT', 'proc.cmdline')
    ],
    withoutRowid: true
  }
]

/** Full-text search over command lines, executables, working directories and paths (FTS5, trigram). */
export const FTS_TABLE = {
  name: 'search',
  since: 1,
  doc: 'FTS5 (trigram tokenizer: substring search, 3+ characters) over process command lines, exe and cwd, file paths and connection names. kind: cmdline | exe | cwd | path | connection; ref: upid or strings.id.',
  columns: ['text', 'kind', 'ref']
} as const

export function tableDef(name: string): TableDef {
  const t = TABLES.find((x) => x.name === name)
  if (t === undefined) throw new Error(`no table ${name}`)
  return t
}

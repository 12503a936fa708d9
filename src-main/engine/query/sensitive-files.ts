/**
 * Sensitive-file classes of the file views: credentials, SSH keys, shell history, writes to /etc and to binary
 * directories. Classification happens at query time, so changing a list needs no re-index.
 */
import { readDefaultLists } from '../rules/default-rules'

export type SensitiveClass = 'credentials' | 'ssh-keys' | 'shell-history' | 'etc-write' | 'bin-write'

interface Lists {
  credentialFiles: Set<string>
  credentialDirs: string[]
  credentialSuffixes: string[]
  sshKeyNames: Set<string>
  historyNames: Set<string>
  binDirs: Set<string>
}

let lists: Lists | null = null

/**
 * The lists of Peregrine's default rules (rules/lists/*.yaml, read through rules/default-rules.ts), so the
 * views flag the same files the rules watch. Built-in names are used only when the rules are not there.
 */
function getLists(): Lists {
  if (lists !== null) return lists
  let m = new Map<string, string[]>()
  try {
    m = readDefaultLists()
  } catch {
    // fall back to the built-in names below
  }
  const get = (name: string, dflt: string[]): string[] => m.get(name) ?? dflt
  lists = {
    credentialFiles: new Set([
      ...get('pg_shadow_files', ['/etc/shadow', '/etc/gshadow', '/etc/master.passwd']),
      ...get('pg_sudoers_files', ['/etc/sudoers']),
      '/etc/pam.conf',
      '/etc/security/pwquality.conf'
    ]),
    credentialDirs: [...get('pg_sudoers_dirs', ['/etc/sudoers.d']), '/etc/pam.d'].map((d) =>
      d.replace(/\/?$/, '/')
    ),
    credentialSuffixes: get('pg_cloud_credential_suffixes', [
      '/.aws/credentials',
      '/.kube/config',
      '/.docker/config.json'
    ]),
    sshKeyNames: new Set([
      ...get('pg_ssh_private_key_names', ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519']),
      'authorized_keys'
    ]),
    historyNames: new Set(
      get('pg_shell_history_names', ['.bash_history', '.zsh_history', '.ash_history', '.sh_history'])
    ),
    binDirs: new Set(
      get('pg_binary_dirs', ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'])
    )
  }
  return lists
}

const WRITE = 2 | 8 | 16 | 32

function baseName(p: string): string {
  const i = p.lastIndexOf('/')
  return i < 0 ? p : p.slice(i + 1)
}

function dirName(p: string): string {
  const i = p.lastIndexOf('/')
  return i <= 0 ? '/' : p.slice(0, i)
}

/** The class of an access to `path` (access bits as in file_activity.access), or null. */
export function classifyPath(path: string, access: number): SensitiveClass | null {
  const l = getLists()
  if (l.credentialFiles.has(path) || l.credentialDirs.some((d) => path.startsWith(d))) return 'credentials'
  if (l.credentialSuffixes.some((s) => path.endsWith(s))) return 'credentials'
  const base = baseName(path)
  if (path.includes('/.ssh/') || l.sshKeyNames.has(base)) return 'ssh-keys'
  if (l.historyNames.has(base)) return 'shell-history'
  if ((access & WRITE) !== 0) {
    if (path.startsWith('/etc/')) return 'etc-write'
    if (l.binDirs.has(dirName(path))) return 'bin-write'
  }
  return null
}

/** 'r', 'w', 'rw', 'x' or '' from access bits. */
export function accessText(access: number): string {
  if ((access & 4) !== 0) return 'x'
  const r = (access & 1) !== 0
  const w = (access & WRITE) !== 0
  return r && w ? 'rw' : r ? 'r' : w ? 'w' : ''
}

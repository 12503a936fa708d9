/**
 * Sensitive-file classes of the file views, after the lists Falco's rules use (sensitive_file_names,
 * ssh key and shell history names, bin_dirs and /etc for writes). Classification happens at query time, so
 * changing a list needs no re-index.
 */
export type SensitiveClass = 'credentials' | 'ssh-keys' | 'shell-history' | 'etc-write' | 'bin-write'

export const SENSITIVE_FILE_NAMES: readonly string[] = [
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/sudoers',
  '/etc/pam.conf',
  '/etc/security/pwquality.conf',
  '/etc/master.passwd'
]
export const SENSITIVE_DIR_PREFIXES: readonly string[] = ['/etc/sudoers.d/', '/etc/pam.d/']
export const CREDENTIAL_SUFFIXES: readonly string[] = [
  '/.aws/credentials',
  '/.kube/config',
  '/.docker/config.json',
  '/.git-credentials',
  '/.netrc',
  '/.pgpass'
]
export const SSH_MARKERS: readonly string[] = ['/.ssh/', '/etc/ssh/ssh_host_']
export const SSH_KEY_NAMES: readonly string[] = [
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'authorized_keys'
]
export const SHELL_HISTORY_NAMES: readonly string[] = [
  '.bash_history',
  '.zsh_history',
  '.ash_history',
  '.sh_history',
  '.history',
  'fish_history'
]
export const BIN_DIRS: readonly string[] = [
  '/bin',
  '/sbin',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin'
]

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
  if (SENSITIVE_FILE_NAMES.includes(path) || SENSITIVE_DIR_PREFIXES.some((d) => path.startsWith(d)))
    return 'credentials'
  if (CREDENTIAL_SUFFIXES.some((s) => path.endsWith(s))) return 'credentials'
  const base = baseName(path)
  if (SSH_MARKERS.some((m) => path.includes(m)) || SSH_KEY_NAMES.includes(base)) return 'ssh-keys'
  if (SHELL_HISTORY_NAMES.includes(base)) return 'shell-history'
  if ((access & WRITE) !== 0) {
    if (path.startsWith('/etc/')) return 'etc-write'
    if (BIN_DIRS.includes(dirName(path))) return 'bin-write'
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

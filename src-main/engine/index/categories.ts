/**
 * Timeline categories of events (the UI stacks process, file, network, other). sysdig's own evt.category
 * (file, net, io_read, ...) does not say whether a read is file or network I/O; here the fd type decides
 * for fd-based calls, so a read from a socket counts as network.
 */
export const CAT_OTHER = 0
export const CAT_PROCESS = 1
export const CAT_FILE = 2
export const CAT_NETWORK = 3
/** category decided by the fd type (files → file, sockets → network, rest → other) */
export const CAT_BY_FD = -1

export const CATEGORY_NAMES = ['other', 'process', 'file', 'network'] as const

const PROCESS = `clone clone3 fork vfork execve execveat procexit exit exit_group kill tkill tgkill setuid setgid
setresuid setresgid setreuid setregid setsid setpgid prctl ptrace capset chroot unshare setns wait4 waitid
pidfd_open pidfd_getfd seccomp setrlimit prlimit`

const FILE = `open openat openat2 creat open_by_handle_at unlink unlinkat rename renameat renameat2 mkdir mkdirat
rmdir link linkat symlink symlinkat chmod fchmodat chown fchownat lchown stat stat64 lstat lstat64 access
faccessat faccessat2 truncate readlink readlinkat chdir mount umount umount2 fsconfig inotify_init
inotify_init1 inotify_add_watch utimensat statfs newfstatat memfd_create quotactl`

const NETWORK = `socket socketpair connect accept accept4 bind listen shutdown getsockopt setsockopt getsockname
getpeername send sendto sendmsg sendmmsg recv recvfrom recvmsg recvmmsg`

const BY_FD = `read write readv writev pread pwrite pread64 pwrite64 preadv pwritev sendfile close splice
fstat fstat64 lseek llseek fcntl dup dup2 dup3 ioctl getdents getdents64 fchmod fchown fchdir flock fsync
fdatasync ftruncate mmap mmap2 fallocate copy_file_range`

function table(): Map<string, number> {
  const m = new Map<string, number>()
  const put = (list: string, cat: number): void => {
    for (const n of list.split(/\s+/)) if (n !== '') m.set(n, cat)
  }
  put(PROCESS, CAT_PROCESS)
  put(FILE, CAT_FILE)
  put(NETWORK, CAT_NETWORK)
  put(BY_FD, CAT_BY_FD)
  return m
}

const BY_NAME = table()

/** Category of an event type by its evt.type name (CAT_BY_FD when the fd decides). */
export function categoryOfType(name: string): number {
  return BY_NAME.get(name) ?? CAT_OTHER
}

/** Resolves CAT_BY_FD with the fd's type (events.fdtype: scap fd type in the low byte). */
export function categoryForFd(cat: number, fdType: number | null): number {
  if (cat !== CAT_BY_FD) return cat
  switch (fdType === null ? -1 : fdType & 255) {
    case 1: // file
    case 2: // directory
    case 16: // file (v2)
      return CAT_FILE
    case 3: // ipv4 socket
    case 4: // ipv6 socket
    case 5: // ipv4 server socket
    case 6: // ipv6 server socket
    case 8: // unix socket
    case 15: // netlink
      return CAT_NETWORK
    default:
      return CAT_OTHER
  }
}

/* Record format shared by the BPF programs (bpf/recorder.bpf.c) and the user-space writer.
 * One record = one finished syscall (enter + exit), one successful exec, the child side of a fork,
 * or one thread exit: struct rec, then struct rec_ext when RECF_EXT is set, then the variable-length
 * blobs (paths, argv, env, sockaddr, I/O data); blen[i] gives each blob's length in order. Timestamps are CLOCK_MONOTONIC ns
 * (user space converts them to boot time, then epoch). */
#ifndef RECORDER_H
#define RECORDER_H
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
#define REC_SIZE_CHECK(t, n) typedef char t##_size_check[(sizeof(struct t) == (n)) ? 1 : -1]

#define REC_SYSCALL 1
#define REC_EXEC 2
#define REC_CHILD 3
#define REC_EXIT 4

#define REC_NBLOB 4
#define REC_DATA_MAX 16384 /* total blob bytes; power of two (used as a mask) */
#define REC_SLOT_MAX 4096  /* one blob read at most */
#define REC_SNAP_MAX 4096  /* largest allowed --snaplen */
#define REC_NR_MAX 512

/* flags */
#define RECF_MEMFD 1      /* exec: the executable is a memfd */
#define RECF_TRUNC 2      /* a blob was truncated */
#define RECF_HAS_SOCK 4   /* the sock blob is present (struct rec_sock) */
#define RECF_HAS_INODE 8  /* ino/dev valid */
#define RECF_EXE_WRITABLE 16 /* exec: the executable is writable by the task (as current libs define it) */
#define RECF_HAS_MEM 32   /* rec_ext vm_* and pgft_* valid (exec, fork child, clone parent) */
#define RECF_EXE_UPPER 64 /* exec: the executable is on an overlayfs, in its upper layer */
#define RECF_EXE_LOWER 128 /* exec: the executable is on an overlayfs, in a lower layer */
#define RECF_EXT 256      /* a struct rec_ext follows the header (before the blobs) */

/* stat counters (per-CPU array indices) */
#define ST_EMITTED 0
#define ST_DROPS 1
#define ST_DROP_BYTES 2
#define ST_INFLIGHT_FAIL 3 /* a traced task's local storage could not be created */
#define ST_READ_FAIL 4
#define ST_N 5

/* The common header, kept small (112 bytes): it is all that most records carry (close, dup, fcntl, open...),
 * and every byte of it goes through the ring and the reader. */
struct rec {
  __u64 ts_enter;
  __u64 ts_exit;
  __u32 tid;
  __u32 pid;
  __u16 kind;
  __u16 nr;
  __u16 cpu;
  __u16 nblob;
  __s64 ret;
  __u64 args[6];
  __u64 ino; /* opened file / pipe inode; iovec calls: the total size requested */
  __u32 dev; /* kernel dev_t of the opened file's superblock */
  __u32 flags;
  __u16 blen[REC_NBLOB];
};

/* Process details, only in the records that need them (RECF_EXT: exec, fork child, clone-family exits),
 * right after the header and before the blobs. */
struct rec_ext {
  __u32 ppid;
  __u32 uid; /* euid */
  __u32 gid; /* egid */
  __u32 loginuid;
  __u32 vtid;
  __u32 vpid;
  __u32 tty;
  __u32 pad;
  __u64 cgroup_id;
  __u64 fdlimit;
  char comm[16];
  /* RECF_HAS_MEM */
  __u32 vm_size; /* KiB */
  __u32 vm_rss;  /* KiB */
  __u32 vm_swap; /* KiB */
  __u32 pad2;
  __u64 pgft_maj;
  __u64 pgft_min;
};

REC_SIZE_CHECK(rec, 112);
REC_SIZE_CHECK(rec_ext, 96);

/* Socket state as seen from the fd (local side first). Ports in host order. */
struct rec_sock {
  __u16 family; /* AF_INET, AF_INET6, AF_UNIX */
  __u16 type;   /* SOCK_STREAM ... */
  __u16 lport;
  __u16 rport;
  __u8 laddr[16];
  __u8 raddr[16];
  __u64 sk;   /* kernel sock pointer (unix tuple ids) */
  __u64 peer; /* peer sock pointer (unix) */
  char path[108];
};

#endif

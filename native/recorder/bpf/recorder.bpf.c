// SPDX-License-Identifier: GPL-2.0
/* Peregrine recorder, kernel side. raw_tracepoint programs (no tracefs, no kprobes, no fentry needed):
 *   sys_enter  - for wanted syscalls of traced tasks, note the enter time in the task's local storage
 *   sys_exit   - arguments from the saved registers; paths/sockaddrs/data read at exit (pages are resident
 *                by then); emit one record
 *   sched_process_exec/fork/exit - exec details, follow forks into the traced set, thread exits
 * Records go through one MPSC ring buffer and never wake the reader (see submit). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "../src/recorder.h"

char LICENSE[] SEC("license") = "GPL";

/* Record timestamps: CLOCK_MONOTONIC. bpf_ktime_get_ns is one nested kernel call fewer than the boot clock
 * (which adds the suspend offset to it), and every recorded syscall takes two timestamps; user space adds
 * the monotonic-to-boot offset. */
#define rec_now() bpf_ktime_get_ns()

const volatile __u32 self_tgid = 0;
const volatile __u32 trace_all = 0;
const volatile __u32 snaplen = 80;

/* Per-task state in task-local storage (no hash update/delete per syscall): the pending syscall and its
 * enter time, and whether the task belongs to the traced set (cached from the `traced` tgid map). */
struct task_ctx {
  __u64 ts;      /* enter time of the pending syscall */
  __u64 args[6]; /* saved at enter for execve/execveat only: exec replaces the registers */
  __u32 nr1;     /* pending syscall number + 1; 0 = none */
  __u32 traced;  /* TC_* */
};
#define TC_UNKNOWN 0
#define TC_YES 1
#define TC_NO 2

/* `r` and `data` must be contiguous: the record is output as one piece from &r */
struct scratch {
  __u64 used;
  /* iovec snapshot in progress (iov_blob): kept here, not on the stack, so that the verifier sees plain
   * map loads in the per-segment callback and checks it once */
  struct iovec iov[16];
  __u64 iov_cnt, iov_max, iov_got;
  struct rec r;
  __u8 data[REC_DATA_MAX + REC_SLOT_MAX];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 8 << 20);
} rb SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct task_ctx);
} tctx SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 65536);
  __type(key, __u32);
  __type(value, __u8);
} traced SEC(".maps");

/* the syscalls to record, one bit per x86_64 number (set by user space before load; read-only after) */
const volatile __u64 want_bits[REC_NR_MAX / 64] = {};

static __always_inline int wanted(__u64 nr) {
  if (nr >= REC_NR_MAX) return 0;
  return (want_bits[nr / 64] >> (nr % 64)) & 1;
}

/* Kernel features used when present, each with a fallback (the programs load on 5.11+ with BTF):
 * - bpf_rdonly_cast (6.2): a typed view of a kernel pointer (the verifier makes it a register move), so the
 *   syscall registers and an opened file's inode are read with plain loads instead of probe-read calls;
 * - else bpf_task_pt_regs (5.15) for the registers, else one probe read;
 * - bpf_loop (5.17) walks iovec segments (else the first two are read).
 * A weak kfunc the kernel lacks resolves to 0 and the verifier skips the code it guards. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
#ifndef RECORDER_OLD_KERNEL_PATHS
#define HAVE_RDONLY_CAST (bpf_rdonly_cast != 0)
#define HAVE_TASK_PT_REGS bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs)
#define HAVE_LOOP bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop)
#else /* a build that takes the oldest fallbacks, to test them on a current kernel */
#define HAVE_RDONLY_CAST 0
#define HAVE_TASK_PT_REGS 0
#define HAVE_LOOP 0
#endif
#define HAVE_BTF_REGS (HAVE_RDONLY_CAST || HAVE_TASK_PT_REGS)

/* the saved registers of the current syscall as a BTF pointer (only when HAVE_BTF_REGS) */
static __always_inline struct pt_regs *regs_btf(void *regs) {
  if (HAVE_RDONLY_CAST) return bpf_rdonly_cast(regs, bpf_core_type_id_kernel(struct pt_regs));
  return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

/* The registers a syscall record needs. */
struct sregs {
  __u64 nr, di, si, dx, r10, r8, r9;
};

static __always_inline void sregs_from(struct sregs *g, const struct pt_regs *r) {
  g->di = r->di;
  g->si = r->si;
  g->dx = r->dx;
  g->r10 = r->r10;
  g->r8 = r->r8;
  g->r9 = r->r9;
}

/* At sys_exit (whose tracepoint has only the registers): the syscall number into g->nr and, if the syscall
 * is one we record, its argument registers; returns whether it is. */
static __always_inline int exit_regs(void *regs, struct sregs *g) {
  if (HAVE_BTF_REGS) {
    struct pt_regs *r = regs_btf(regs);
    g->nr = r->orig_ax;
    if (!wanted(g->nr)) return 0;
    sregs_from(g, r);
    return 1;
  }
  struct pt_regs r;
  g->nr = -1;
  bpf_probe_read_kernel(&g->nr, sizeof(g->nr), regs + bpf_core_field_offset(struct pt_regs, orig_ax));
  if (!wanted(g->nr)) return 0;
  if (bpf_probe_read_kernel(&r, sizeof(r), regs) < 0) __builtin_memset(&r, 0, sizeof(r));
  sregs_from(g, &r);
  return 1;
}

/* The six argument registers of the current syscall. */
static __always_inline void regs_args(void *regs, struct sregs *g) {
  if (HAVE_BTF_REGS) {
    sregs_from(g, regs_btf(regs));
  } else {
    struct pt_regs r;
    if (bpf_probe_read_kernel(&r, sizeof(r), regs) < 0) __builtin_memset(&r, 0, sizeof(r));
    sregs_from(g, &r);
  }
}


struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, ST_N);
  __type(key, __u32);
  __type(value, __u64);
} stats SEC(".maps");

#define clamp_var(v) asm volatile("" : "+r"(v))

static __always_inline void stat_add(__u32 idx, __u64 n) {
  __u64 *c = bpf_map_lookup_elem(&stats, &idx);
  if (c) *c += n;
}

static __always_inline int is_traced(__u32 tgid) {
  if (tgid == self_tgid) return 0;
  if (trace_all) return 1;
  return bpf_map_lookup_elem(&traced, &tgid) != 0;
}

static __always_inline struct scratch *scratch_get(void) {
  __u32 z = 0;
  struct scratch *s = bpf_map_lookup_elem(&scratch_map, &z);
  if (!s) return 0;
  s->used = 0;
  s->r.nblob = 0;
  s->r.flags = 0;
  s->r.blen[0] = s->r.blen[1] = s->r.blen[2] = s->r.blen[3] = 0;
  return s;
}

static __always_inline void blob_done(struct scratch *s, long n) {
  if (n < 0) {
    n = 0;
    stat_add(ST_READ_FAIL, 1);
  }
  __u16 i = s->r.nblob;
  if (i < REC_NBLOB) {
    s->r.blen[i & (REC_NBLOB - 1)] = (__u16)n;
    s->r.nblob = i + 1;
  }
  s->used += n;
}

static __always_inline void *blob_ptr(struct scratch *s) {
  __u64 off = s->used;
  clamp_var(off);
  off &= (REC_DATA_MAX - 1);
  return &s->data[off];
}

static __always_inline void blob_user_str(struct scratch *s, __u64 uptr) {
  if (s->used >= REC_DATA_MAX - REC_SLOT_MAX || !uptr) {
    blob_done(s, 0);
    return;
  }
  blob_done(s, bpf_probe_read_user_str(blob_ptr(s), REC_SLOT_MAX, (void *)uptr));
}

static __always_inline void blob_kernel_str(struct scratch *s, const void *kptr) {
  if (s->used >= REC_DATA_MAX - REC_SLOT_MAX || !kptr) {
    blob_done(s, 0);
    return;
  }
  blob_done(s, bpf_probe_read_kernel_str(blob_ptr(s), REC_SLOT_MAX, kptr));
}

static __always_inline void blob_user(struct scratch *s, __u64 uptr, __u64 len) {
  if (s->used >= REC_DATA_MAX - REC_SLOT_MAX || !uptr || len == 0) {
    blob_done(s, 0);
    return;
  }
  clamp_var(len);
  if (len > REC_SLOT_MAX) len = REC_SLOT_MAX;
  clamp_var(len);
  if (len == 0 || len > REC_SLOT_MAX) return;
  long r = bpf_probe_read_user(blob_ptr(s), len, (void *)uptr);
  blob_done(s, r < 0 ? r : (long)len);
}

/* Appends bytes to the current (not yet closed) blob; returns the number appended. */
static __always_inline long append_user(struct scratch *s, __u64 uptr, __u64 len) {
  if (s->used >= REC_DATA_MAX - REC_SLOT_MAX || !uptr || len == 0) return 0;
  clamp_var(len);
  if (len > REC_SLOT_MAX) len = REC_SLOT_MAX;
  clamp_var(len);
  if (len == 0 || len > REC_SLOT_MAX) return 0;
  if (bpf_probe_read_user(blob_ptr(s), len, (void *)uptr) < 0) return 0;
  s->used += len;
  return len;
}

static __always_inline void blob_sockaddr(struct scratch *s, __u64 uptr, __u64 len) {
  if (len > 112) len = 112;
  blob_user(s, uptr, len);
}

#define IOV_MAX_SEGS 16

/* Appends one iovec segment to the open blob of this CPU's scratch record. A global function: the verifier
 * checks it once, and each call site costs it no more than a helper call would (a loop of inlined user
 * reads made on_sys_exit too large to verify). */
__attribute__((noinline)) int iov_segment(__u64 base, __u64 len) {
  __u32 z = 0;
  struct scratch *s = bpf_map_lookup_elem(&scratch_map, &z);
  if (!s) return 0;
  return append_user(s, base, len);
}

static long iov_step(__u32 i, void *ctx) {
  __u32 z = 0;
  struct scratch *s = bpf_map_lookup_elem(&scratch_map, &z);
  if (!s || i >= s->iov_cnt || s->iov_got >= s->iov_max) return 1;
  __u64 len = s->iov[i & (IOV_MAX_SEGS - 1)].iov_len, room = s->iov_max - s->iov_got;
  int n = iov_segment((__u64)s->iov[i & (IOV_MAX_SEGS - 1)].iov_base, len < room ? len : room);
  if (n <= 0 && len > 0) return 1;
  if (n > 0) s->iov_got += n;
  return 0;
}

/* Snapshot of an iovec array as the next blob of this CPU's scratch record: data from as many of the first
 * 16 segments as needed for `max` bytes (the snaplen, or less when the call moved less); the size of those
 * segments goes to r.ino. The segments are walked by bpf_loop over state kept in the scratch map, so the
 * verifier checks one segment once (an unrolled or bounded loop made loading take ~0.3 s). */
__attribute__((noinline)) int iov_blob(__u64 iovp, __u64 cnt, __u64 max) {
  __u32 z = 0;
  struct scratch *s = bpf_map_lookup_elem(&scratch_map, &z);
  if (!s) return 0;
  __u64 t = 0;
  if (cnt > IOV_MAX_SEGS) cnt = IOV_MAX_SEGS;
  __builtin_memset(s->iov, 0, sizeof(s->iov));
  if (iovp && cnt > 0) {
    __u64 bytes = cnt * sizeof(s->iov[0]);
    clamp_var(bytes);
    if (bytes > sizeof(s->iov)) bytes = sizeof(s->iov);
    clamp_var(bytes);
    if (bytes > 0 && bytes <= sizeof(s->iov)) bpf_probe_read_user(s->iov, bytes, (void *)iovp);
  }
  for (int i = 0; i < IOV_MAX_SEGS; i++) {
    if (i >= cnt) break;
    t += s->iov[i].iov_len;
  }
  s->r.ino = t;
  __u64 start = s->used;
  s->iov_cnt = cnt;
  s->iov_max = max;
  s->iov_got = 0;
  if (max > 0) {
    if (HAVE_LOOP) {
      bpf_loop(IOV_MAX_SEGS, iov_step, 0, 0);
    } else {
      iov_step(0, 0);
      iov_step(1, 0);
    }
  }
  s->used = start;
  blob_done(s, s->iov_got);
  return 0;
}

/* The file behind fd. `t` is a BTF pointer, so the walk to the fd array is plain loads (no helper calls);
 * only the array slot needs a probe read. */
static __always_inline struct file *fd_file(struct task_struct *t, long fd) {
  struct file *f = 0;
  if (fd < 0) return 0;
  struct fdtable *fdt = t->files->fdt;
  if ((unsigned long)fd >= fdt->max_fds) return 0;
  struct file **arr = fdt->fd;
  bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
  return f;
}

static __always_inline void file_inode_info(struct scratch *s, struct file *fp) {
  if (!fp) return;
  if (HAVE_RDONLY_CAST) {
    struct file *f = bpf_rdonly_cast(fp, bpf_core_type_id_kernel(struct file));
    struct inode *ino = f->f_inode;
    if (!ino) return;
    s->r.ino = ino->i_ino;
    s->r.dev = ino->i_sb->s_dev;
  } else {
    struct inode *ino = BPF_CORE_READ(fp, f_inode);
    if (!ino) return;
    s->r.ino = BPF_CORE_READ(ino, i_ino);
    s->r.dev = BPF_CORE_READ(ino, i_sb, s_dev);
  }
  s->r.flags |= RECF_HAS_INODE;
}

/* Appends a struct rec_sock blob describing the socket behind fd, if it is one. */
static __always_inline void blob_sock(struct scratch *s, struct task_struct *t, long fd) {
  struct file *f = fd_file(t, fd);
  if (!f || s->used >= REC_DATA_MAX - REC_SLOT_MAX) goto none;
  umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
  if ((mode & 0170000) != 0140000) goto none;
  struct socket *so = BPF_CORE_READ(f, private_data);
  struct sock *sk = BPF_CORE_READ(so, sk);
  if (!sk) goto none;
  struct rec_sock *rs = blob_ptr(s);
  __builtin_memset(rs, 0, sizeof(*rs));
  rs->family = BPF_CORE_READ(sk, __sk_common.skc_family);
  rs->type = BPF_CORE_READ(so, type);
  rs->sk = (__u64)sk;
  if (rs->family == 2) {
    __u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
    __u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);
    __builtin_memcpy(rs->laddr, &l, 4);
    __builtin_memcpy(rs->raddr, &r, 4);
    rs->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
    rs->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
  } else if (rs->family == 10) {
    BPF_CORE_READ_INTO(&rs->laddr, sk, __sk_common.skc_v6_rcv_saddr);
    BPF_CORE_READ_INTO(&rs->raddr, sk, __sk_common.skc_v6_daddr);
    rs->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
    rs->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
  } else if (rs->family == 1) {
    struct unix_sock *us = (struct unix_sock *)sk;
    struct sock *peer = BPF_CORE_READ(us, peer);
    rs->peer = (__u64)peer;
    struct unix_address *ua = BPF_CORE_READ(us, addr);
    if (!ua && peer) ua = BPF_CORE_READ((struct unix_sock *)peer, addr);
    if (ua) {
      __u32 alen = BPF_CORE_READ(ua, len);
      if (alen > 2) {
        __u64 pl = alen - 2;
        clamp_var(pl);
        pl &= 0x7f;
        if (pl > 107) pl = 107;
        clamp_var(pl);
        if (pl > 0 && pl <= 107) bpf_probe_read_kernel(rs->path, pl, (char *)ua->name + 2);
      }
    }
  }
  s->r.flags |= RECF_HAS_SOCK;
  blob_done(s, sizeof(*rs));
  return;
none:
  blob_done(s, 0);
}

static __always_inline __u32 ns_nr(struct pid *p) {
  if (!p) return 0;
  unsigned int level = BPF_CORE_READ(p, level);
  struct upid up = {};
  bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level & 31]);
  return up.nr;
}

/* mm_struct before 6.2: the counters were atomics in struct mm_rss_stat (a CO-RE flavor of that layout) */
struct mm_rss_stat___old {
  atomic_long_t count[4];
};
struct mm_struct___old {
  struct mm_rss_stat___old rss_stat;
};

/* The process-details extension of a scratch record (before any blob): zeroed, flagged in the header. */
static __always_inline struct rec_ext *ext_begin(struct scratch *s) {
  struct rec_ext *x = (struct rec_ext *)s->data;
  __builtin_memset(x, 0, sizeof(*x));
  s->used = sizeof(*x);
  s->r.flags |= RECF_EXT;
  return x;
}

/* Memory counters (KiB, as the scap clone/execve exits carry them) and page faults of task t. */
static __always_inline void fill_mem(struct rec *r, struct rec_ext *x, struct task_struct *t) {
  x->pgft_maj = BPF_CORE_READ(t, maj_flt);
  x->pgft_min = BPF_CORE_READ(t, min_flt);
  x->vm_size = x->vm_rss = x->vm_swap = 0;
  struct mm_struct *mm = BPF_CORE_READ(t, mm);
  if (mm) {
    x->vm_size = BPF_CORE_READ(mm, total_vm) << 2; /* 4 KiB pages */
    /* the counters are percpu_counters since 6.2; their shared count is what /proc shows between syncs */
    __s64 file = 0, anon = 0, swap = 0, shmem = 0;
    struct mm_struct___old *old = (void *)mm;
    if (bpf_core_field_exists(mm->rss_stat[0].count)) {
      file = BPF_CORE_READ(mm, rss_stat[0].count);
      anon = BPF_CORE_READ(mm, rss_stat[1].count);
      swap = BPF_CORE_READ(mm, rss_stat[2].count);
      shmem = BPF_CORE_READ(mm, rss_stat[3].count);
    } else if (bpf_core_field_exists(old->rss_stat.count)) {
      file = BPF_CORE_READ(old, rss_stat.count[0].counter);
      anon = BPF_CORE_READ(old, rss_stat.count[1].counter);
      swap = BPF_CORE_READ(old, rss_stat.count[2].counter);
      shmem = BPF_CORE_READ(old, rss_stat.count[3].counter);
    }
    __s64 rss = (file > 0 ? file : 0) + (anon > 0 ? anon : 0) + (shmem > 0 ? shmem : 0);
    x->vm_rss = rss << 2;
    x->vm_swap = (swap > 0 ? swap : 0) << 2;
  }
  r->flags |= RECF_HAS_MEM;
}

/* Whether the task may write its executable (the exe-writable flag of current libs): not on a read-only
 * file system, not immutable, then the owner/group/other write bit that applies to the task's fsuid/fsgid,
 * else CAP_DAC_OVERRIDE in its effective set. */
static __always_inline int exe_writable(struct task_struct *t, struct file *f) {
  struct inode *ino = BPF_CORE_READ(f, f_inode);
  if (!ino) return 0;
  umode_t mode = BPF_CORE_READ(ino, i_mode);
  if (BPF_CORE_READ(ino, i_sb, s_flags) & 1 /* SB_RDONLY */) return 0;
  if (BPF_CORE_READ(ino, i_flags) & 8 /* S_IMMUTABLE */) return 0;
  const struct cred *c = BPF_CORE_READ(t, cred);
  __u32 fsuid = BPF_CORE_READ(c, fsuid.val), fsgid = BPF_CORE_READ(c, fsgid.val);
  if (fsuid == BPF_CORE_READ(ino, i_uid.val)) {
    if (mode & 0200) return 1;
  } else if (fsgid == BPF_CORE_READ(ino, i_gid.val)) {
    if (mode & 0020) return 1;
  } else if (mode & 0002) {
    return 1;
  }
  __u64 caps = 0; /* kernel_cap_t: one u64 since 6.3, two u32 before: the low bits read the same */
  bpf_probe_read_kernel(&caps, sizeof(caps), (void *)c + bpf_core_field_offset(struct cred, cap_effective));
  return (caps >> 1) & 1; /* CAP_DAC_OVERRIDE */
}

/* The overlayfs layer an executable comes from (PPM_EXE_UPPER_LAYER / _LOWER_LAYER of current libs): on an
 * overlay super block, the overlay inode has an upper dentry when the file is in (or was copied up to) the
 * upper layer. struct ovl_inode embeds the VFS inode followed by __upperdentry; CO-RE finds the offsets
 * when overlayfs' BTF is loaded, else that layout (stable since 4.13) is assumed. */
static __always_inline __u32 exe_layer(struct file *f) {
  struct inode *ino = BPF_CORE_READ(f, f_inode);
  if (!ino || BPF_CORE_READ(ino, i_sb, s_magic) != 0x794c7630 /* OVERLAYFS_SUPER_MAGIC */) return 0;
  __u64 off = bpf_core_type_size(struct inode);
  if (bpf_core_field_exists(struct ovl_inode, __upperdentry))
    off = bpf_core_field_offset(struct ovl_inode, __upperdentry) - bpf_core_field_offset(struct ovl_inode, vfs_inode);
  void *upper = 0;
  bpf_probe_read_kernel(&upper, sizeof(upper), (void *)ino + off);
  return upper ? RECF_EXE_UPPER : RECF_EXE_LOWER;
}

/* Process context, for exec and fork-child records only (it costs several CO-RE reads); before any blob. */
static __always_inline void fill_task(struct scratch *s, struct task_struct *t) {
  struct rec_ext *r = ext_begin(s);
  r->ppid = BPF_CORE_READ(t, real_parent, tgid);
  r->uid = BPF_CORE_READ(t, cred, euid.val);
  r->gid = BPF_CORE_READ(t, cred, egid.val);
  r->loginuid = BPF_CORE_READ(t, loginuid.val);
  r->vtid = ns_nr(BPF_CORE_READ(t, thread_pid));
  r->vpid = ns_nr(BPF_CORE_READ(t, group_leader, thread_pid));
  r->fdlimit = BPF_CORE_READ(t, signal, rlim[7].rlim_cur);
  r->cgroup_id = bpf_get_current_cgroup_id();
  r->tty = 0;
  struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
  if (tty) {
    int index = BPF_CORE_READ(tty, index);
    int major = BPF_CORE_READ(tty, driver, major);
    int minor = BPF_CORE_READ(tty, driver, minor_start) + index;
    r->tty = (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
  }
  bpf_get_current_comm(r->comm, sizeof(r->comm));
  fill_mem(&s->r, r, t);
}

static __always_inline void submit(struct scratch *s) {
  __u64 len = s->used;
  clamp_var(len);
  if (len > REC_DATA_MAX) len = REC_DATA_MAX;
  clamp_var(len);
  __u64 total = sizeof(struct rec) + len;
  clamp_var(total);
  if (total > sizeof(struct rec) + REC_DATA_MAX) return;
  /* no wake-ups at all: user space drains on a 10 ms timer and never waits on the ring's fd, so a wake-up
   * (irq_work, IPI) would be pure cost, and so would querying the fill level for it */
  if (bpf_ringbuf_output(&rb, &s->r, total, BPF_RB_NO_WAKEUP) < 0) {
    stat_add(ST_DROPS, 1);
    stat_add(ST_DROP_BYTES, total);
  } else {
    stat_add(ST_EMITTED, 1);
  }
}

/* The task's context if the task is traced (created on first use), else 0. Command mode decides once per
 * task from the `traced` tgid map and caches the answer, so later syscalls pay no hash lookup. */
static __always_inline struct task_ctx *task_ctx_traced(struct task_struct *t) {
  struct task_ctx *c;
  if (trace_all) {
    if (t->tgid == self_tgid) return 0;
    c = bpf_task_storage_get(&tctx, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (!c) stat_add(ST_INFLIGHT_FAIL, 1);
    return c;
  }
  c = bpf_task_storage_get(&tctx, t, 0, 0);
  if (c && c->traced != TC_UNKNOWN) return c->traced == TC_YES ? c : 0;
  __u32 tgid = t->tgid;
  int yes = tgid != self_tgid && bpf_map_lookup_elem(&traced, &tgid) != 0;
  if (!c) c = bpf_task_storage_get(&tctx, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (!c) {
    if (yes) stat_add(ST_INFLIGHT_FAIL, 1);
    return 0;
  }
  c->traced = yes ? TC_YES : TC_NO;
  return yes ? c : 0;
}

/* A 32-bit (ia32) syscall: its number is an i386 one, which the x86_64 tables here would misname, so it is
 * not recorded (TS_COMPAT in thread_info.status, set for the duration of a compat syscall). */
static __always_inline int compat_syscall(struct task_struct *t) {
  if (!bpf_core_field_exists(t->thread_info.status)) return 0;
  return (t->thread_info.status & 0x0002 /* TS_COMPAT */) != 0;
}

/* fcntl only matters when it duplicates an fd (F_DUPFD, F_DUPFD_CLOEXEC); the rest is frequent noise
 * (find: a third of its fcntl calls are F_SETFD/F_GETFL) and is dropped before any other work */
static __always_inline int fcntl_dups(__u64 cmd) {
  return cmd == 0 || cmd == 1030;
}

/* The syscall filter comes first (a bit test on read-only data), then the task's context; the enter only
 * notes the time: arguments are read from the saved registers at exit, which still hold them. */
SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx) {
  __u64 nr = ctx->args[1];
  if (!wanted(nr)) return 0;
  struct sregs g;
  if (nr == 72 || nr == 59 || nr == 322) {
    regs_args((void *)ctx->args[0], &g);
    if (nr == 72 && !fcntl_dups(g.si)) return 0;
  }
  struct task_struct *t = bpf_get_current_task_btf();
  if (compat_syscall(t)) return 0;
  struct task_ctx *c = task_ctx_traced(t);
  if (!c) return 0;
  c->ts = rec_now();
  c->nr1 = nr + 1;
  if (nr == 59 || nr == 322) {
    c->args[0] = g.di;
    c->args[1] = g.si;
    c->args[2] = g.dx;
    c->args[3] = g.r10;
    c->args[4] = g.r8;
    c->args[5] = g.r9;
  }
  return 0;
}

#define NR_read 0
#define NR_write 1
#define NR_open 2
#define NR_pread64 17
#define NR_pwrite64 18
#define NR_readv 19
#define NR_writev 20
#define NR_pipe 22
#define NR_connect 42
#define NR_accept 43
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_bind 49
#define NR_clone 56
#define NR_fork 57
#define NR_vfork 58
#define NR_execve 59
#define NR_rename 82
#define NR_mkdir 83
#define NR_rmdir 84
#define NR_creat 85
#define NR_link 86
#define NR_unlink 87
#define NR_symlink 88
#define NR_chmod 90
#define NR_chown 92
#define NR_lchown 94
#define NR_chdir 80
#define NR_capset 126
#define NR_prctl 157
#define NR_mount 165
#define NR_umount2 166
#define NR_init_module 175
#define NR_openat 257
#define NR_mkdirat 258
#define NR_fchownat 260
#define NR_unlinkat 263
#define NR_renameat 264
#define NR_linkat 265
#define NR_symlinkat 266
#define NR_fchmodat 268
#define NR_accept4 288
#define NR_pipe2 293
#define NR_preadv 295
#define NR_pwritev 296
#define NR_finit_module 313
#define NR_renameat2 316
#define NR_memfd_create 319
#define NR_execveat 322
#define NR_clone3 435
#define NR_openat2 437
#define NR_fchmodat2 452

static __always_inline void argv_user(struct scratch *s, __u64 argvp) {
  __u64 start = s->used, total = 0;
  for (int i = 0; i < 16; i++) {
    __u64 p = 0;
    if (!argvp || bpf_probe_read_user(&p, sizeof(p), (void *)(argvp + i * 8)) < 0 || !p) break;
    if (s->used >= REC_DATA_MAX - REC_SLOT_MAX) break;
    void *dst = blob_ptr(s);
    long n = bpf_probe_read_user_str(dst, 512, (void *)p);
    if (n <= 0) break;
    s->used += n;
    total += n;
  }
  s->used = start;
  blob_done(s, total);
}

/* Paths and other blobs read at syscall exit, chosen by syscall number. A global (not inlined) function:
 * the verifier checks it once on its own instead of inside every path of on_sys_exit, which cut the
 * program's load time. */
/* The syscalls syscall_blobs() reads something for (its case labels): the others (close, dup, fcntl,
 * setuid, kill...) skip the call. One bit per syscall number, as constant words. */
#define BLOB_BIT(w, n) (((n) / 64 == (w)) ? (1ull << ((n) % 64)) : 0)
#define BLOB_WORD(w) \
  (BLOB_BIT(w, NR_open) | BLOB_BIT(w, NR_creat) | BLOB_BIT(w, NR_openat) | BLOB_BIT(w, NR_unlink) | \
   BLOB_BIT(w, NR_mkdir) | BLOB_BIT(w, NR_rmdir) | BLOB_BIT(w, NR_chmod) | BLOB_BIT(w, NR_chown) | \
   BLOB_BIT(w, NR_lchown) | BLOB_BIT(w, NR_umount2) | BLOB_BIT(w, NR_memfd_create) | BLOB_BIT(w, NR_chdir) | \
   BLOB_BIT(w, NR_unlinkat) | BLOB_BIT(w, NR_mkdirat) | BLOB_BIT(w, NR_fchmodat) | BLOB_BIT(w, NR_fchmodat2) | \
   BLOB_BIT(w, NR_fchownat) | BLOB_BIT(w, NR_openat2) | BLOB_BIT(w, NR_rename) | BLOB_BIT(w, NR_link) | \
   BLOB_BIT(w, NR_symlink) | BLOB_BIT(w, NR_renameat) | BLOB_BIT(w, NR_renameat2) | BLOB_BIT(w, NR_linkat) | \
   BLOB_BIT(w, NR_symlinkat) | BLOB_BIT(w, NR_mount) | BLOB_BIT(w, NR_execve) | BLOB_BIT(w, NR_execveat) | \
   BLOB_BIT(w, NR_init_module) | BLOB_BIT(w, NR_finit_module) | BLOB_BIT(w, NR_prctl) | BLOB_BIT(w, NR_capset) | \
   BLOB_BIT(w, NR_pipe) | BLOB_BIT(w, NR_pipe2) | BLOB_BIT(w, NR_read) | BLOB_BIT(w, NR_pread64) | \
   BLOB_BIT(w, NR_write) | BLOB_BIT(w, NR_pwrite64) | BLOB_BIT(w, NR_readv) | BLOB_BIT(w, NR_writev) | \
   BLOB_BIT(w, NR_preadv) | BLOB_BIT(w, NR_pwritev) | BLOB_BIT(w, NR_connect) | BLOB_BIT(w, NR_bind) | \
   BLOB_BIT(w, NR_accept) | BLOB_BIT(w, NR_accept4) | BLOB_BIT(w, NR_sendto) | BLOB_BIT(w, NR_recvfrom) | \
   BLOB_BIT(w, NR_sendmsg) | BLOB_BIT(w, NR_recvmsg))
static const __u64 blob_bits[REC_NR_MAX / 64] = {BLOB_WORD(0), BLOB_WORD(1), BLOB_WORD(2), BLOB_WORD(3),
                                                 BLOB_WORD(4), BLOB_WORD(5), BLOB_WORD(6), BLOB_WORD(7)};

static __always_inline int has_blobs(__u64 nr) {
  return nr < REC_NR_MAX && ((blob_bits[nr / 64] >> (nr % 64)) & 1);
}

__attribute__((noinline)) int syscall_blobs(struct scratch *s) {
  if (!s) return 0;
  struct task_struct *t = bpf_get_current_task_btf();
  __u64 nr = s->r.nr;
  __u64 *a = s->r.args;
  long ret = s->r.ret;
  switch (nr) {
  case NR_open: case NR_creat:
    blob_user_str(s, a[0]);
    if (ret >= 0) file_inode_info(s, fd_file(t, ret));
    break;
  case NR_openat:
    blob_user_str(s, a[1]);
    if (ret >= 0) file_inode_info(s, fd_file(t, ret));
    break;
  case NR_unlink: case NR_mkdir: case NR_rmdir: case NR_chmod:
  case NR_chown: case NR_lchown: case NR_umount2: case NR_memfd_create: case NR_chdir:
    blob_user_str(s, a[0]);
    break;
  case NR_unlinkat: case NR_mkdirat: case NR_fchmodat: case NR_fchmodat2: case NR_fchownat:
    blob_user_str(s, a[1]);
    break;
  case NR_openat2:
    blob_user_str(s, a[1]);
    blob_user(s, a[2], a[3] < 24 ? a[3] : 24);
    if (ret >= 0) file_inode_info(s, fd_file(t, ret));
    break;
  case NR_rename: case NR_link: case NR_symlink:
    blob_user_str(s, a[0]);
    blob_user_str(s, a[1]);
    break;
  case NR_renameat: case NR_renameat2: case NR_linkat:
    blob_user_str(s, a[1]);
    blob_user_str(s, a[3]);
    break;
  case NR_symlinkat:
    blob_user_str(s, a[0]);
    blob_user_str(s, a[2]);
    break;
  case NR_mount:
    blob_user_str(s, a[0]);
    blob_user_str(s, a[1]);
    blob_user_str(s, a[2]);
    break;
  case NR_execve:
    blob_user_str(s, a[0]);
    argv_user(s, a[1]);
    break;
  case NR_execveat:
    blob_user_str(s, a[1]);
    argv_user(s, a[2]);
    break;
  case NR_init_module:
    blob_user_str(s, a[2]);
    break;
  case NR_finit_module:
    blob_user_str(s, a[1]);
    break;
  case NR_prctl:
    if (a[0] == 15 || a[0] == 16) blob_user_str(s, a[1]); /* PR_SET_NAME, PR_GET_NAME (filled by now) */
    else if (a[0] == 37) blob_user(s, a[1], 4);           /* PR_GET_CHILD_SUBREAPER: the int written */
    break;
  case NR_capset:
    blob_user(s, a[1], 24);
    break;
  case NR_pipe: case NR_pipe2: {
    int fds[2] = {-1, -1};
    if (ret == 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)a[0]) == 0) {
      s->r.args[1] = (__u32)fds[0];
      s->r.args[2] = (__u32)fds[1];
      file_inode_info(s, fd_file(t, fds[0]));
    } else {
      s->r.args[1] = s->r.args[2] = (__u64)-1;
    }
    break;
  }
  case NR_read: case NR_pread64:
    blob_user(s, a[1], ret > 0 ? (ret < snaplen ? ret : snaplen) : 0);
    break;
  case NR_write: case NR_pwrite64:
    blob_user(s, a[1], ret > 0 ? (ret < snaplen ? ret : snaplen) : 0);
    break;
  case NR_readv: case NR_writev: case NR_preadv: case NR_pwritev:
    iov_blob(a[1], a[2], ret > 0 ? (ret < snaplen ? ret : snaplen) : 0); /* r.ino: total requested size */
    break;
  case NR_connect:
    blob_sockaddr(s, a[1], a[2]);
    blob_sock(s, t, a[0]);
    break;
  case NR_bind:
    blob_sockaddr(s, a[1], a[2]);
    break;
  case NR_accept: case NR_accept4:
    blob_done(s, 0);
    blob_sock(s, t, ret);
    break;
  case NR_sendto: case NR_recvfrom: {
    blob_user(s, a[1], ret > 0 ? (ret < snaplen ? ret : snaplen) : 0);
    __u64 alen = a[5];
    if (nr == NR_recvfrom && a[5]) {
      int l = 0;
      bpf_probe_read_user(&l, sizeof(l), (void *)a[5]);
      alen = l > 0 ? l : 0;
    }
    blob_sockaddr(s, a[4], a[4] ? alen : 0);
    blob_sock(s, t, a[0]);
    break;
  }
  case NR_sendmsg: case NR_recvmsg: {
    struct user_msghdr m = {};
    bpf_probe_read_user(&m, sizeof(m), (void *)a[1]);
    iov_blob((__u64)m.msg_iov, m.msg_iovlen, ret > 0 ? (ret < snaplen ? ret : snaplen) : 0);
    blob_sockaddr(s, (__u64)m.msg_name, m.msg_name ? m.msg_namelen : 0);
    blob_sock(s, t, a[0]);
    break;
  }
  }
  return 0;
}

/* A clone-family exit's memory counters (the parent's), as a subprogram for the same reason. */
static __noinline void clone_mem(struct scratch *s) {
  if (!s) return;
  fill_mem(&s->r, ext_begin(s), bpf_get_current_task_btf());
}

/* The child side of fork/clone returns here without a sys_enter of its own. A subprogram, not inlined:
 * its many reads stay out of on_sys_exit's hot path (shorter code between the checks and the submit). */
static __noinline void child_return(__u64 di, __u64 nr) {
  struct task_struct *t = bpf_get_current_task_btf();
  __u32 tgid = t->tgid;
  if (tgid == self_tgid) return;
  if (!trace_all && !bpf_map_lookup_elem(&traced, &tgid)) return;
  struct scratch *s = scratch_get();
  if (!s) return;
  s->r.kind = REC_CHILD;
  s->r.nr = nr;
  s->r.ts_enter = s->r.ts_exit = rec_now();
  s->r.args[0] = di;
  if (nr == NR_clone3) {
    __u64 fl = 0;
    bpf_probe_read_user(&fl, sizeof(fl), (void *)s->r.args[0]);
    s->r.args[0] = fl;
  }
  s->r.ret = 0;
  s->r.tid = t->pid;
  s->r.pid = tgid;
  s->r.cpu = bpf_get_smp_processor_id();
  fill_task(s, t);
  submit(s);
}

SEC("raw_tp/sys_exit")
int on_sys_exit(struct bpf_raw_tracepoint_args *ctx) {
  struct sregs g;
  if (!exit_regs((void *)ctx->args[0], &g)) return 0;
  __u64 nr = g.nr;
  if (nr == 72 && !fcntl_dups(g.si)) return 0;
  struct task_struct *t = bpf_get_current_task_btf();
  if (compat_syscall(t)) return 0;
  long ret = ctx->args[1];
  struct task_ctx *c = bpf_task_storage_get(&tctx, t, 0, 0);
  if (!c || c->nr1 != nr + 1) {
    if (ret == 0 && (nr == NR_clone || nr == NR_fork || nr == NR_vfork || nr == NR_clone3))
      child_return(g.di, nr);
    return 0;
  }
  c->nr1 = 0;
  struct rec *r;
  struct scratch *s = 0;
  int clone_fam = nr == NR_clone || nr == NR_fork || nr == NR_vfork || nr == NR_clone3;
  if (has_blobs(nr) || clone_fam) {
    s = scratch_get();
    if (!s) return 0;
    r = &s->r;
  } else {
    /* no blobs: the record is built in the ring itself (no scratch, no copy) */
    r = bpf_ringbuf_reserve(&rb, sizeof(struct rec), 0);
    if (!r) {
      stat_add(ST_DROPS, 1);
      stat_add(ST_DROP_BYTES, sizeof(struct rec));
      return 0;
    }
    r->flags = 0;
    r->nblob = 0;
  }
  r->kind = REC_SYSCALL;
  r->ts_enter = c->ts;
  r->nr = nr;
  r->args[0] = g.di;
  r->args[1] = g.si;
  r->args[2] = g.dx;
  r->args[3] = g.r10;
  r->args[4] = g.r8;
  r->args[5] = g.r9;
  r->ts_exit = rec_now();
  r->ret = ret;
  r->tid = t->pid;
  r->pid = t->tgid;
  r->cpu = bpf_get_smp_processor_id();
  r->ino = 0;
  r->dev = 0;
  if (nr == NR_clone3) {
    __u64 fl = 0;
    bpf_probe_read_user(&fl, sizeof(fl), (void *)r->args[0]);
    r->args[0] = fl;
  }
  if (clone_fam && s) clone_mem(s); /* the parent's memory counters, in the extension */
  if (s) {
    syscall_blobs(s);
    submit(s);
  } else {
    bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
    stat_add(ST_EMITTED, 1);
  }
  return 0;
}

SEC("raw_tp/sched_process_exec")
int on_exec(struct bpf_raw_tracepoint_args *ctx) {
  __u64 id = bpf_get_current_pid_tgid();
  __u32 tgid = id >> 32, tid = (__u32)id;
  if (!is_traced(tgid)) return 0;
  struct task_struct *t = (struct task_struct *)ctx->args[0];
  __u32 old_pid = (__u32)ctx->args[1];
  struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
  struct scratch *s = scratch_get();
  if (!s) return 0;
  struct rec *r = &s->r;
  r->kind = REC_EXEC;
  r->ts_exit = rec_now();
  r->ts_enter = r->ts_exit;
  r->nr = NR_execve;
  /* the exec runs in the current task (also when a non-leader thread execs: it keeps its task_struct) */
  struct task_ctx *c = bpf_task_storage_get(&tctx, bpf_get_current_task_btf(), 0, 0);
  if (c && (c->nr1 == NR_execve + 1 || c->nr1 == NR_execveat + 1)) {
    r->ts_enter = c->ts;
    r->nr = c->nr1 - 1;
    __builtin_memcpy(r->args, c->args, sizeof(r->args));
    c->nr1 = 0;
  } else {
    __builtin_memset(r->args, 0, sizeof(r->args));
  }
  r->args[5] = old_pid;
  r->ret = 0;
  r->tid = tid;
  r->pid = tgid;
  r->cpu = bpf_get_smp_processor_id();
  fill_task(s, t);
  /* blob 0: filename as the kernel resolved it; 1: argv; 2: env */
  blob_kernel_str(s, BPF_CORE_READ(bprm, filename));
  struct mm_struct *mm = BPF_CORE_READ(t, mm);
  __u64 as = BPF_CORE_READ(mm, arg_start), ae = BPF_CORE_READ(mm, arg_end);
  blob_user(s, as, ae > as ? ae - as : 0);
  __u64 es = BPF_CORE_READ(mm, env_start), ee = BPF_CORE_READ(mm, env_end);
  blob_user(s, es, ee > es ? ee - es : 0);
  char nm[8] = {};
  bpf_probe_read_kernel_str(nm, sizeof(nm), BPF_CORE_READ(bprm, file, f_path.dentry, d_name.name));
  if (nm[0] == 'm' && nm[1] == 'e' && nm[2] == 'm' && nm[3] == 'f' && nm[4] == 'd' && nm[5] == ':')
    r->flags |= RECF_MEMFD;
  struct file *exe = BPF_CORE_READ(bprm, file);
  if (exe_writable(t, exe)) r->flags |= RECF_EXE_WRITABLE;
  r->flags |= exe_layer(exe);
  file_inode_info(s, exe);
  submit(s);
  return 0;
}

SEC("raw_tp/sched_process_fork")
int on_fork(struct bpf_raw_tracepoint_args *ctx) {
  if (trace_all) return 0;
  struct task_struct *parent = (struct task_struct *)ctx->args[0];
  struct task_struct *child = (struct task_struct *)ctx->args[1];
  __u32 ptgid = BPF_CORE_READ(parent, tgid);
  if (!is_traced(ptgid)) return 0;
  __u32 ctgid = BPF_CORE_READ(child, tgid);
  __u8 one = 1;
  bpf_map_update_elem(&traced, &ctgid, &one, BPF_ANY);
  return 0;
}

SEC("raw_tp/sched_process_exit")
int on_exit(struct bpf_raw_tracepoint_args *ctx) {
  __u64 id = bpf_get_current_pid_tgid();
  __u32 tgid = id >> 32, tid = (__u32)id;
  if (!is_traced(tgid)) return 0;
  struct task_struct *t = (struct task_struct *)bpf_get_current_task();
  struct scratch *s = scratch_get();
  if (!s) return 0;
  struct rec *r = &s->r;
  r->kind = REC_EXIT;
  r->ts_enter = r->ts_exit = rec_now();
  r->nr = 0;
  r->ret = BPF_CORE_READ(t, exit_code);
  int live = BPF_CORE_READ(t, signal, live.counter);
  r->args[0] = live == 0;
  r->tid = tid;
  r->pid = tgid;
  r->cpu = bpf_get_smp_processor_id();
  submit(s);
  if (live == 0 && !trace_all) bpf_map_delete_elem(&traced, &tgid);
  return 0;
}

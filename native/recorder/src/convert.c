#define _GNU_SOURCE
#include "convert.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "ppm-events.gen.h"
#include "snapshot.h"
#include "thread-table.h"

/* the largest PPM_SC code sysdig 0.29.3 can look up (found by testing it: 329+ crash or misname) */
#define PPM_SC_MAX_0293 328

/* x86_64 syscall numbers used below */
enum {
  S_read = 0, S_write = 1, S_open = 2, S_close = 3, S_mprotect = 10, S_pread64 = 17, S_pwrite64 = 18,
  S_readv = 19, S_writev = 20, S_pipe = 22, S_dup = 32, S_dup2 = 33, S_socket = 41, S_connect = 42,
  S_accept = 43, S_sendto = 44, S_recvfrom = 45, S_sendmsg = 46, S_recvmsg = 47, S_bind = 49, S_listen = 50,
  S_clone = 56, S_fork = 57, S_vfork = 58, S_execve = 59, S_kill = 62, S_fcntl = 72, S_chdir = 80,
  S_fchdir = 81, S_rename = 82, S_mkdir = 83, S_rmdir = 84, S_creat = 85, S_link = 86, S_unlink = 87,
  S_symlink = 88, S_chmod = 90, S_fchmod = 91, S_chown = 92, S_fchown = 93, S_lchown = 94, S_ptrace = 101,
  S_setuid = 105, S_setgid = 106, S_setreuid = 113, S_setregid = 114, S_setresuid = 117, S_setresgid = 119,
  S_capset = 126, S_prctl = 157, S_mount = 165, S_umount2 = 166, S_init_module = 175, S_tkill = 200,
  S_tgkill = 234, S_openat = 257, S_mkdirat = 258, S_fchownat = 260, S_unlinkat = 263, S_renameat = 264,
  S_linkat = 265, S_symlinkat = 266, S_fchmodat = 268, S_accept4 = 288, S_dup3 = 292, S_pipe2 = 293,
  S_preadv = 295, S_pwritev = 296, S_finit_module = 313, S_renameat2 = 316, S_memfd_create = 319,
  S_bpf = 321, S_execveat = 322, S_clone3 = 435, S_openat2 = 437, S_fchmodat2 = 452,
};

static const short dedicated[] = {
  S_read, S_write, S_open, S_close, S_mprotect, S_pread64, S_pwrite64, S_readv, S_writev, S_pipe, S_dup,
  S_dup2, S_socket, S_connect, S_accept, S_sendto, S_recvfrom, S_sendmsg, S_recvmsg, S_bind, S_listen,
  S_clone, S_fork, S_vfork, S_execve, S_kill, S_fcntl, S_chdir, S_fchdir, S_rename, S_mkdir, S_rmdir,
  S_creat, S_link, S_unlink, S_symlink, S_chmod, S_fchmod, S_chown, S_fchown, S_lchown, S_ptrace,
  S_setuid, S_setgid, S_setreuid, S_setregid, S_setresuid, S_setresgid, S_capset, S_prctl, S_mount,
  S_umount2, S_init_module, S_tkill, S_tgkill, S_openat, S_mkdirat, S_fchownat, S_unlinkat, S_renameat,
  S_linkat, S_symlinkat, S_fchmodat, S_accept4, S_dup3, S_pipe2, S_preadv, S_pwritev, S_finit_module,
  S_renameat2, S_memfd_create, S_bpf, S_execveat, S_clone3, S_openat2, S_fchmodat2,
};

int conv_wanted(long nr, int generic) {
  if (nr < 0 || nr >= X64_NR_MAX) return 0;
  for (size_t i = 0; i < sizeof(dedicated) / sizeof(dedicated[0]); i++)
    if (dedicated[i] == nr) return 1;
  /* the generic event: everything else, except the exit family (procexit covers it) */
  return generic && nr != 60 && nr != 231;
}

struct blobs {
  const uint8_t *p[REC_NBLOB];
  uint32_t n[REC_NBLOB];
};

static void split_blobs(const struct rec *r, const uint8_t *data, uint32_t len, struct blobs *b) {
  uint32_t off = 0;
  for (int i = 0; i < REC_NBLOB; i++) {
    uint32_t n = i < r->nblob ? r->blen[i] : 0;
    if (off + n > len) n = off < len ? len - off : 0;
    b->p[i] = data + off;
    b->n[i] = n;
    off += n;
  }
}

/* a string blob read with probe_read_str includes its NUL */
static void ev_bstr(struct scapw *w, const struct blobs *b, int i) {
  ev_strn(w, (const char *)b->p[i], strnlen((const char *)b->p[i], b->n[i]));
}

static void ev_i64(struct scapw *w, int64_t v) { ev_u64(w, (uint64_t)v); }

static uint64_t g_last; /* last timestamp written, epoch ns */

static void times(struct conv *c, const struct rec *r, uint64_t *te, uint64_t *tx) {
  uint64_t e = r->ts_enter + c->mono_to_epoch, x = r->ts_exit + c->mono_to_epoch;
  if (e < g_last) {
    e = g_last;
    c->clamped++;
  }
  if (x < e) x = e;
  g_last = x;
  *te = e;
  *tx = x;
}

/* sockaddr as the application passed it -> PT_SOCKADDR */
static void ev_sockaddr(struct scapw *w, const uint8_t *p, uint32_t n) {
  if (n < 2) {
    ev_empty(w);
    return;
  }
  uint16_t fam;
  memcpy(&fam, p, 2);
  uint8_t out[128];
  size_t o = 0;
  if (fam == AF_INET && n >= 8) {
    out[o++] = 2;
    memcpy(out + o, p + 4, 4);
    o += 4;
    uint16_t port = (uint16_t)(p[2] << 8 | p[3]);
    memcpy(out + o, &port, 2);
    o += 2;
  } else if (fam == AF_INET6 && n >= 24) {
    out[o++] = 10;
    memcpy(out + o, p + 8, 16);
    o += 16;
    uint16_t port = (uint16_t)(p[2] << 8 | p[3]);
    memcpy(out + o, &port, 2);
    o += 2;
  } else if (fam == AF_UNIX) {
    out[o++] = 1;
    size_t pl = n > 2 ? n - 2 : 0;
    if (pl > 107) pl = 107;
    const char *path = (const char *)p + 2;
    if (pl > 0 && path[0] == 0) { /* abstract socket: render with a leading @ */
      out[o++] = '@';
      memcpy(out + o, path + 1, pl - 1);
      o += strnlen((const char *)out + o, pl - 1);
    } else {
      size_t l = strnlen(path, pl);
      memcpy(out + o, path, l);
      o += l;
    }
    out[o++] = 0;
  } else {
    out[o++] = (uint8_t)fam;
  }
  ev_raw(w, out, o);
}

/* PT_SOCKTUPLE, client side first. `outbound`: the local end initiated (connect/send). `peer` optionally
 * overrides the remote address (unconnected datagram sockets: the sockaddr the application passed). */
static void ev_tuple(struct scapw *w, const struct blobs *b, int sock_i, int outbound, const uint8_t *peer, uint32_t peern) {
  if (b->n[sock_i] < sizeof(struct rec_sock)) {
    ev_empty(w);
    return;
  }
  struct rec_sock s;
  memcpy(&s, b->p[sock_i], sizeof(s));
  if (peer && peern >= 8) {
    uint16_t fam;
    memcpy(&fam, peer, 2);
    if (fam == AF_INET && s.family == AF_INET) {
      memcpy(s.raddr, peer + 4, 4);
      s.rport = (uint16_t)(peer[2] << 8 | peer[3]);
    } else if (fam == AF_INET6 && s.family == AF_INET6 && peern >= 24) {
      memcpy(s.raddr, peer + 8, 16);
      s.rport = (uint16_t)(peer[2] << 8 | peer[3]);
    }
  }
  uint8_t out[160];
  size_t o = 0;
  const uint8_t *ca = outbound ? s.laddr : s.raddr, *sa = outbound ? s.raddr : s.laddr;
  uint16_t cp = outbound ? s.lport : s.rport, sp = outbound ? s.rport : s.lport;
  if (s.family == AF_INET) {
    out[o++] = 2;
    memcpy(out + o, ca, 4); o += 4;
    memcpy(out + o, &cp, 2); o += 2;
    memcpy(out + o, sa, 4); o += 4;
    memcpy(out + o, &sp, 2); o += 2;
  } else if (s.family == AF_INET6) {
    out[o++] = 10;
    memcpy(out + o, ca, 16); o += 16;
    memcpy(out + o, &cp, 2); o += 2;
    memcpy(out + o, sa, 16); o += 16;
    memcpy(out + o, &sp, 2); o += 2;
  } else if (s.family == AF_UNIX) {
    out[o++] = 1;
    uint64_t src = outbound ? s.peer : s.sk, dst = outbound ? s.sk : s.peer;
    memcpy(out + o, &src, 8); o += 8;
    memcpy(out + o, &dst, 8); o += 8;
    size_t l = strnlen(s.path, sizeof(s.path) - 1);
    memcpy(out + o, s.path, l); o += l;
    out[o++] = 0;
  } else {
    ev_empty(w);
    return;
  }
  ev_raw(w, out, o);
}

static uint32_t clone_flags_to_ppm(uint64_t f) {
  static const uint64_t map[][2] = {
    {0x400, 1}, {0x200, 2}, {0x80000000ull, 4}, {0x08000000, 8}, {0x40000000, 0x10}, {0x20000, 0x20},
    {0x20000000, 0x40}, {0x04000000, 0x80}, {0x8000, 0x100}, {0x100000, 0x200}, {0x2000, 0x400},
    {0x800, 0x800}, {0x40000, 0x1000}, {0x10000, 0x2000}, {0x800000, 0x4000}, {0x100, 0x8000},
    {0x10000000, 0x100000}, {0x200000, 0x800000}, {0x01000000, 0x1000000}, {0x80000, 0x2000000},
    {0x4000, 0x8000000}, {0x02000000, 0x10000000},
  };
  uint32_t r = 0;
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (f & map[i][0]) r |= (uint32_t)map[i][1];
  return r;
}

static uint16_t ptrace_req_to_ppm(uint64_t q) {
  switch (q) {
  case 0: return 1; case 1: return 2; case 2: return 3; case 3: return 4; case 4: return 5; case 5: return 6;
  case 6: return 7; case 7: return 8; case 8: return 9; case 9: return 10; case 16: return 11; case 17: return 12;
  case 24: return 13; case 0x4200: return 14; case 0x4201: return 15; case 0x4202: return 16;
  case 0x4203: return 17; case 0x4204: return 18; case 0x4205: return 19; case 0x4206: return 20;
  case 0x4207: return 21; case 0x4208: return 22; case 0x4209: return 23; case 0x420a: return 24;
  case 0x420b: return 25; case 12: return 26; case 13: return 27; case 14: return 28; case 15: return 29;
  default: return 0;
  }
}

/* PPM_PR_* (the prctl option table of current libs): the codes it defines are the Linux numbers; options
 * it does not define are written as 0 so that no reader mistakes them for a known one */
static uint32_t prctl_option_to_ppm(uint64_t o) {
  if ((o >= 1 && o <= 16) || (o >= 19 && o <= 47) || (o >= 50 && o <= 64)) return (uint32_t)o;
  if (o == 0x59616d61 /* PR_SET_PTRACER */ || o == 0x53564d41 /* PR_SET_VMA */) return (uint32_t)o;
  return 0;
}

static uint32_t open_mode(uint64_t flags, uint64_t mode) {
  return (flags & (0100 | 020000000)) ? (uint32_t)(mode & 07777) : 0;
}

static uint32_t dev_of(const struct rec *r) { return (r->flags & RECF_HAS_INODE) ? encode_dev(r->dev) : 0; }

static int64_t sfd(uint64_t a) { return (int64_t)(int32_t)a; }

/* memory counters and page faults read by the BPF side at exec, fork and clone */
static void mem_from_rec(struct thr *t, const struct rec *r, const struct rec_ext *x) {
  if (!(r->flags & RECF_HAS_MEM) || !x) return;
  t->vmsize = x->vm_size;
  t->vmrss = x->vm_rss;
  t->vmswap = x->vm_swap;
  t->pgft_maj = x->pgft_maj;
  t->pgft_min = x->pgft_min;
}

/* the 20 process params shared by the clone exits (pos 1..19 after res) */
static void clone_exit_params(struct scapw *w, const struct thr *t, int64_t res, uint32_t flags) {
  ev_i64(w, res);
  ev_strn(w, t->exe.p ? t->exe.p : "", t->exe.n);
  ev_raw(w, t->args.p, t->args.n);
  ev_i64(w, t->tid);
  ev_i64(w, t->pid);
  ev_i64(w, t->ptid);
  ev_strn(w, t->cwd.p ? t->cwd.p : "/", t->cwd.p ? t->cwd.n : 1);
  ev_i64(w, (int64_t)t->fdlimit);
  ev_u64(w, t->pgft_maj);
  ev_u64(w, t->pgft_min);
  ev_u32(w, t->vmsize);
  ev_u32(w, t->vmrss);
  ev_u32(w, t->vmswap);
  ev_str(w, t->comm);
  ev_raw(w, t->cgroups.p, t->cgroups.n);
  ev_u32(w, flags);
  ev_u32(w, t->uid);
  ev_u32(w, t->gid);
  ev_i64(w, t->vtid ? t->vtid : t->tid);
  ev_i64(w, t->vpid ? t->vpid : t->pid);
}

static uint16_t clone_event(uint32_t nr) {
  switch (nr) {
  case S_fork: return PPME_SYSCALL_FORK_20_E;
  case S_vfork: return PPME_SYSCALL_VFORK_20_E;
  case S_clone3: return PPME_SYSCALL_CLONE3_E;
  default: return PPME_SYSCALL_CLONE_20_E;
  }
}

static uint64_t clone_kflags(uint32_t nr, uint64_t a0) {
  if (nr == S_fork) return 0;
  if (nr == S_vfork) return 0x100 | 0x4000;
  return a0;
}

/* user-space view of the cwd after chdir: absolute paths replace, relative ones join */
static void join_cwd(struct thr *t, const char *p) {
  char buf[8200];
  if (p[0] == '/')
    snprintf(buf, sizeof(buf), "%s", p);
  else
    snprintf(buf, sizeof(buf), "%s/%s", t->cwd.p && strcmp(t->cwd.p, "/") ? t->cwd.p : "", p);
  lstr_setz(&t->cwd, buf);
}

static void refresh_cwd(struct thr *t) {
  char path[64], b[4096];
  snprintf(path, sizeof(path), "/proc/%u/task/%u/cwd", t->pid, t->tid);
  ssize_t n = readlink(path, b, sizeof(b) - 1);
  if (n > 0) lstr_set(&t->cwd, b, (size_t)n);
}

/* --- containers --- */
struct cmeta {
  char id[65];
  char name[128];
  char image[256];
  int written;
};
static struct cmeta cmetas[64];
static int ncmeta;

void conv_container_meta(const char *spec) {
  if (ncmeta >= 64) return;
  struct cmeta *m = &cmetas[ncmeta];
  memset(m, 0, sizeof(*m));
  if (sscanf(spec, "%64[0-9a-f],%127[^,],%255s", m->id, m->name, m->image) >= 2 && strlen(m->id) == 64) {
    /* they go into JSON text verbatim: keep them free of quotes, backslashes and control characters */
    for (char *p = m->name; *p; p++)
      if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) *p = '_';
    for (char *p = m->image; *p; p++)
      if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) *p = '_';
    ncmeta++;
  }
}

static int find_container_id(const char *cg, size_t n, char out[65]) {
  for (size_t i = 0; i < n;) {
    const char *e = cg + i;
    size_t l = strnlen(e, n - i);
    /* last path component; strip "docker-" / "cri-containerd-" / "crio-" / "libpod-" prefixes, ".scope" */
    const char *slash = memrchr(e, '/', l);
    const char *c = slash ? slash + 1 : e;
    size_t cl = (size_t)(e + l - c);
    const char *pre[] = {"docker-", "cri-containerd-", "crio-", "libpod-"};
    for (int k = 0; k < 4; k++)
      if (cl > strlen(pre[k]) && strncmp(c, pre[k], strlen(pre[k])) == 0) {
        c += strlen(pre[k]);
        cl -= strlen(pre[k]);
        break;
      }
    if (cl > 6 && strncmp(c + cl - 6, ".scope", 6) == 0) cl -= 6;
    if (cl == 64 && strspn(c, "0123456789abcdef") >= 64) {
      memcpy(out, c, 64);
      out[64] = 0;
      return 1;
    }
    i += l + 1;
  }
  return 0;
}

void conv_containers(struct conv *c, uint64_t ts, const char *cg, size_t n) {
  char id[65];
  if (!cg || !find_container_id(cg, n, id)) return;
  struct cmeta *m = 0;
  for (int i = 0; i < ncmeta; i++)
    if (strcmp(cmetas[i].id, id) == 0) m = &cmetas[i];
  if (!m) {
    if (ncmeta >= 64) return;
    m = &cmetas[ncmeta++];
    memset(m, 0, sizeof(*m));
    memcpy(m->id, id, 65);
  }
  if (m->written) return;
  m->written = 1;
  /* image "repo[:tag]" -> imagerepo / imagetag (a ':' after the last '/' separates the tag) */
  char repo[256], tag[128] = "";
  snprintf(repo, sizeof(repo), "%s", m->image);
  char *slash = strrchr(repo, '/'), *colon = strrchr(repo, ':');
  if (colon && (!slash || colon > slash)) {
    snprintf(tag, sizeof(tag), "%s", colon + 1);
    *colon = 0;
  } else if (repo[0]) {
    snprintf(tag, sizeof(tag), "latest");
  }
  char json[2048];
  snprintf(json, sizeof(json),
           "{\"container\":{\"id\":\"%.12s\",\"full_id\":\"%s\",\"type\":0,\"name\":\"%s\",\"image\":\"%s\","
           "\"imageid\":\"\",\"imagerepo\":\"%s\",\"imagetag\":\"%s\",\"imagedigest\":\"\",\"privileged\":false,"
           "\"ip\":\"0.0.0.0\",\"port_mappings\":[],\"Mounts\":[],\"created_time\":0,\"is_pod_sandbox\":false,"
           "\"lookup_state\":1}}",
           id, id, m->name[0] ? m->name : id, m->image, repo, tag);
  ev_begin(c->w, ts, (uint64_t)-1, 0, PPME_CONTAINER_JSON_2_E);
  ev_str(c->w, json);
  ev_end(c->w);
}

void conv_snapshot_containers(struct conv *c, uint64_t ts) {
  const uint32_t *tids;
  int n = snapshot_tids(&tids);
  for (int i = 0; i < n; i++) {
    struct thr *t = thr_get(tids[i]);
    if (t) conv_containers(c, ts, t->cgroups.p, t->cgroups.n);
  }
}

void conv_drop(struct conv *c, uint64_t ts_mono, uint64_t lost) {
  uint64_t ts = ts_mono + c->mono_to_epoch;
  if (ts < g_last) ts = g_last;
  g_last = ts;
  uint32_t n = lost > 0xffffffffu ? 0xffffffffu : (uint32_t)lost;
  /* DROP_E/DROP_X bracket a gap; ratio carries the number of records lost in it */
  ev_begin(c->w, ts, (uint64_t)-1, 0, PPME_DROP_E);
  ev_u32(c->w, n);
  ev_end(c->w);
  ev_begin(c->w, ts, (uint64_t)-1, 0, PPME_DROP_X);
  ev_u32(c->w, n);
  ev_end(c->w);
}

static int conv_exec(struct conv *c, const struct rec *r, const struct rec_ext *x, const struct blobs *b) {
  struct scapw *w = c->w;
  uint64_t te, tx;
  times(c, r, &te, &tx);
  uint32_t old = (uint32_t)r->args[5];
  struct thr *t = thr_find_or_load(r->tid, r->pid);
  if (old && old != r->tid) {
    struct thr *o = thr_get(old);
    if (o) {
      t = thr_put(r->tid, o);
      thr_del(old);
    }
  }
  if (!t) return 0;
  t->pid = r->pid;
  t->tid = r->tid;
  t->ptid = x->ppid;
  int at = r->nr == S_execveat;
  ev_begin(w, te, r->tid, r->cpu, at ? PPME_SYSCALL_EXECVEAT_E : PPME_SYSCALL_EXECVE_19_E);
  /* execveat(fd, "", AT_EMPTY_PATH) arrives as the kernel's "/dev/fd/N" and is written that way: with an
   * empty pathname and an fd it does not know (memfd_create is not a 0.29.3 event), sysdig 0.29.3
   * crashes on the exit event */
  if (at) {
    ev_i64(w, sfd(r->args[0]));
    ev_bstr(w, b, 0);
    uint32_t fl = 0;
    if (r->args[4] & 0x1000) fl |= 1;
    if (r->args[4] & 0x100) fl |= 2;
    ev_u32(w, fl);
  } else {
    ev_bstr(w, b, 0);
  }
  ev_end(w);
  /* update the thread: argv, env, comm, exepath; cwd and cgroups from /proc when still there */
  const char *argv = (const char *)b->p[1];
  size_t an = b->n[1];
  while (an > 0 && argv[an - 1] == 0 && an > 1 && argv[an - 2] == 0) an--; /* trailing padding */
  size_t l0 = strnlen(argv, an);
  lstr_set(&t->exe, argv, l0);
  lstr_set(&t->args, l0 < an ? argv + l0 + 1 : "", l0 < an ? an - l0 - 1 : 0);
  lstr_set(&t->env, b->p[2], b->n[2]);
  memcpy(t->comm, x->comm, 16);
  t->comm[16] = 0;
  const char *fn = (const char *)b->p[0];
  size_t fl = strnlen(fn, b->n[0]);
  if (fl && fn[0] != '/' && t->cwd.p) {
    char full[4096];
    snprintf(full, sizeof(full), "%s/%.*s", strcmp(t->cwd.p, "/") ? t->cwd.p : "", (int)fl, fn);
    lstr_setz(&t->exepath, full);
  } else {
    lstr_set(&t->exepath, fn, fl);
  }
  if (r->flags & RECF_MEMFD) {
    /* the kernel's name for a memfd executable, e.g. "/memfd:payload (deleted)" */
    char lp[64], target[4096];
    snprintf(lp, sizeof(lp), "/proc/%u/exe", r->pid);
    ssize_t n = readlink(lp, target, sizeof(target) - 1);
    if (n > 0) lstr_set(&t->exepath, target, (size_t)n);
  }
  t->uid = x->uid;
  t->gid = x->gid;
  t->loginuid = x->loginuid;
  t->tty = x->tty;
  t->vtid = x->vtid;
  t->vpid = x->vpid;
  t->fdlimit = x->fdlimit;
  mem_from_rec(t, r, x);
  refresh_cwd(t);
  if (proc_cgroups(r->pid, &t->cgroups) < 0) cgroups_with_v2_id(&t->cgroups, x->cgroup_id);
  t->cgroup_id = x->cgroup_id;
  char path[64], st[1024];
  snprintf(path, sizeof(path), "/proc/%u/stat", r->pid);
  if (read_file(path, st, sizeof(st)) > 0) {
    char *rp = strrchr(st, ')');
    int pg = 0, sid = 0;
    if (rp && sscanf(rp + 2, "%*c %*d %d %d", &pg, &sid) == 2) {
      t->pgid = (uint32_t)pg;
      t->sid = (uint32_t)sid;
    }
  }
  conv_containers(c, te, t->cgroups.p, t->cgroups.n);
  ev_begin(w, tx, r->tid, r->cpu, at ? PPME_SYSCALL_EXECVEAT_X : PPME_SYSCALL_EXECVE_19_X);
  ev_i64(w, 0);
  ev_strn(w, t->exe.p, t->exe.n);
  ev_raw(w, t->args.p, t->args.n);
  ev_i64(w, t->tid);
  ev_i64(w, t->pid);
  ev_i64(w, t->ptid);
  ev_strn(w, t->cwd.p ? t->cwd.p : "/", t->cwd.p ? t->cwd.n : 1);
  ev_u64(w, t->fdlimit);
  ev_u64(w, t->pgft_maj);
  ev_u64(w, t->pgft_min);
  ev_u32(w, t->vmsize);
  ev_u32(w, t->vmrss);
  ev_u32(w, t->vmswap);
  ev_str(w, t->comm);
  ev_raw(w, t->cgroups.p, t->cgroups.n);
  ev_raw(w, t->env.p, t->env.n);
  ev_u32(w, t->tty);
  ev_i64(w, t->pgid);
  ev_u32(w, t->loginuid);
  /* PPM_EXE_WRITABLE (1), PPM_EXE_UPPER_LAYER (2), PPM_EXE_FROM_MEMFD (4), PPM_EXE_LOWER_LAYER (8) */
  ev_u32(w, ((r->flags & RECF_EXE_WRITABLE) ? 1 : 0) | ((r->flags & RECF_EXE_UPPER) ? 2 : 0) |
                ((r->flags & RECF_MEMFD) ? 4 : 0) | ((r->flags & RECF_EXE_LOWER) ? 8 : 0));
  ev_end(w);
  return 2;
}

static int conv_child(struct conv *c, const struct rec *r, const struct rec_ext *x) {
  uint64_t te, tx;
  times(c, r, &te, &tx);
  struct thr *t = thr_get(r->tid);
  if (!t) {
    /* parent's clone exit not seen yet: inherit from the process (thread) or the parent process */
    int thread = (r->args[0] & 0x10000) && r->nr != S_fork && r->nr != S_vfork;
    struct thr *p = thr_get(thread ? r->pid : x->ppid);
    if (!p) p = thr_find_or_load(x->ppid, x->ppid);
    t = thr_put(r->tid, p);
    if (!t) return 0;
  }
  t->tid = r->tid;
  t->pid = r->pid;
  t->ptid = x->ppid;
  t->uid = x->uid;
  t->gid = x->gid;
  t->vtid = x->vtid;
  t->vpid = x->vpid;
  t->loginuid = x->loginuid;
  t->tty = x->tty;
  memcpy(t->comm, x->comm, 16);
  mem_from_rec(t, r, x);
  if (x->cgroup_id != t->cgroup_id) {
    if (proc_cgroups(r->pid, &t->cgroups) < 0) cgroups_with_v2_id(&t->cgroups, x->cgroup_id);
    t->cgroup_id = x->cgroup_id;
  }
  /* exit only: the child never entered the syscall, and an enter event on an unknown tid would make
   * sysdig 0.29.3 create a nameless thread instead of building it from this exit */
  uint16_t ev = clone_event(r->nr);
  ev_begin(c->w, tx, r->tid, r->cpu, ev + 1);
  clone_exit_params(c->w, t, 0, clone_flags_to_ppm(clone_kflags(r->nr, r->args[0])));
  ev_end(c->w);
  return 1;
}

static int conv_exit(struct conv *c, const struct rec *r) {
  uint64_t te, tx;
  times(c, r, &te, &tx);
  int64_t code = r->ret;
  ev_begin(c->w, te, r->tid, r->cpu, PPME_PROCEXIT_1_E);
  ev_i64(c->w, code);
  ev_i64(c->w, (code >> 8) & 0xff);
  ev_u8(c->w, (uint8_t)(code & 0x7f));
  ev_u8(c->w, (code & 0x80) ? 1 : 0);
  ev_end(c->w);
  thr_del(r->tid);
  return 1;
}

/* a bare enter event with the given params already added by the caller, then the exit */
#define E_BEGIN(code) ev_begin(w, te, r->tid, r->cpu, (code))
#define X_BEGIN(code) ev_begin(w, tx, r->tid, r->cpu, (code))

int conv_record(struct conv *c, const struct rec *r, const uint8_t *data, uint32_t datalen) {
  struct blobs b;
  const struct rec_ext *x = 0;
  struct rec_ext xcopy;
  if (r->flags & RECF_EXT) {
    if (datalen < sizeof(xcopy)) return 0;
    memcpy(&xcopy, data, sizeof(xcopy)); /* the extension's alignment in the record is not assumed */
    x = &xcopy;
    data += sizeof(xcopy);
    datalen -= (uint32_t)sizeof(xcopy);
  }
  split_blobs(r, data, datalen, &b);
  if ((r->kind == REC_EXEC || r->kind == REC_CHILD) && !x) return 0; /* they always carry it */
  if (r->kind == REC_EXEC) return conv_exec(c, r, x, &b);
  if (r->kind == REC_CHILD) return conv_child(c, r, x);
  if (r->kind == REC_EXIT) return conv_exit(c, r);
  if (r->kind != REC_SYSCALL) return 0;
  struct scapw *w = c->w;
  const __u64 *a = r->args;
  int64_t ret = r->ret;
  uint64_t te, tx;
  times(c, r, &te, &tx);
  struct thr *t;
  switch (r->nr) {
  case S_open: {
    uint32_t fl = open_flags_to_ppm((uint32_t)a[1]), md = open_mode(a[1], a[2]);
    E_BEGIN(PPME_SYSCALL_OPEN_E); ev_bstr(w, &b, 0); ev_u32(w, fl); ev_u32(w, md); ev_end(w);
    X_BEGIN(PPME_SYSCALL_OPEN_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_u32(w, fl); ev_u32(w, md); ev_u32(w, dev_of(r)); ev_end(w);
    break;
  }
  case S_openat: {
    uint32_t fl = open_flags_to_ppm((uint32_t)a[2]), md = open_mode(a[2], a[3]);
    E_BEGIN(PPME_SYSCALL_OPENAT_2_E); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, fl); ev_u32(w, md); ev_end(w);
    X_BEGIN(PPME_SYSCALL_OPENAT_2_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, fl); ev_u32(w, md); ev_u32(w, dev_of(r)); ev_end(w);
    break;
  }
  case S_openat2: {
    uint64_t how[3] = {0, 0, 0};
    memcpy(how, b.p[1], b.n[1] < 24 ? b.n[1] : 24);
    uint32_t fl = open_flags_to_ppm((uint32_t)how[0]), md = open_mode(how[0], how[1]), rs = 0;
    if (how[2] & 0x08) rs |= 1;
    if (how[2] & 0x10) rs |= 2;
    if (how[2] & 0x02) rs |= 4;
    if (how[2] & 0x04) rs |= 8;
    if (how[2] & 0x01) rs |= 0x10;
    if (how[2] & 0x20) rs |= 0x20;
    E_BEGIN(PPME_SYSCALL_OPENAT2_E); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, fl); ev_u32(w, md); ev_u32(w, rs); ev_end(w);
    X_BEGIN(PPME_SYSCALL_OPENAT2_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, fl); ev_u32(w, md); ev_u32(w, rs); ev_end(w);
    break;
  }
  case S_creat: {
    uint32_t md = (uint32_t)(a[1] & 07777);
    E_BEGIN(PPME_SYSCALL_CREAT_E); ev_bstr(w, &b, 0); ev_u32(w, md); ev_end(w);
    X_BEGIN(PPME_SYSCALL_CREAT_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_u32(w, md); ev_u32(w, dev_of(r)); ev_end(w);
    break;
  }
  case S_close:
    E_BEGIN(PPME_SYSCALL_CLOSE_E); ev_i64(w, sfd(a[0])); ev_end(w);
    X_BEGIN(PPME_SYSCALL_CLOSE_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_read: case S_write: {
    uint16_t e = r->nr == S_read ? PPME_SYSCALL_READ_E : PPME_SYSCALL_WRITE_E;
    E_BEGIN(e); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)a[2]); ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  }
  case S_pread64: case S_pwrite64: {
    uint16_t e = r->nr == S_pread64 ? PPME_SYSCALL_PREAD_E : PPME_SYSCALL_PWRITE_E;
    E_BEGIN(e); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)a[2]); ev_u64(w, a[3]); ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  }
  case S_readv:
    E_BEGIN(PPME_SYSCALL_READV_E); ev_i64(w, sfd(a[0])); ev_end(w);
    X_BEGIN(PPME_SYSCALL_READV_X); ev_i64(w, ret); ev_u32(w, (uint32_t)r->ino); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  case S_writev:
    E_BEGIN(PPME_SYSCALL_WRITEV_E); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)r->ino); ev_end(w);
    X_BEGIN(PPME_SYSCALL_WRITEV_X); ev_i64(w, ret); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  case S_preadv:
    E_BEGIN(PPME_SYSCALL_PREADV_E); ev_i64(w, sfd(a[0])); ev_u64(w, a[3]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_PREADV_X); ev_i64(w, ret); ev_u32(w, (uint32_t)r->ino); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  case S_pwritev:
    E_BEGIN(PPME_SYSCALL_PWRITEV_E); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)r->ino); ev_u64(w, a[3]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_PWRITEV_X); ev_i64(w, ret); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  case S_socket:
    E_BEGIN(PPME_SOCKET_SOCKET_E); ev_u32(w, (uint32_t)a[0]); ev_u32(w, (uint32_t)a[1]); ev_u32(w, (uint32_t)a[2]); ev_end(w);
    X_BEGIN(PPME_SOCKET_SOCKET_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_connect:
    E_BEGIN(PPME_SOCKET_CONNECT_E); ev_i64(w, sfd(a[0])); ev_sockaddr(w, b.p[0], b.n[0]); ev_end(w);
    X_BEGIN(PPME_SOCKET_CONNECT_X); ev_i64(w, ret);
    if (ret == 0 || ret == -EINPROGRESS) ev_tuple(w, &b, 1, 1, b.p[0], b.n[0]); else ev_empty(w);
    ev_end(w);
    break;
  case S_accept: case S_accept4: {
    uint16_t e = r->nr == S_accept ? PPME_SOCKET_ACCEPT_5_E : PPME_SOCKET_ACCEPT4_5_E;
    E_BEGIN(e);
    if (r->nr == S_accept4) ev_u32(w, (uint32_t)a[3]);
    ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret);
    if (ret >= 0) ev_tuple(w, &b, 1, 0, 0, 0); else ev_empty(w);
    ev_u8(w, 0); ev_u32(w, 0); ev_u32(w, 0); ev_end(w);
    break;
  }
  case S_bind:
    E_BEGIN(PPME_SOCKET_BIND_E); ev_i64(w, sfd(a[0])); ev_end(w);
    X_BEGIN(PPME_SOCKET_BIND_X); ev_i64(w, ret); ev_sockaddr(w, b.p[0], b.n[0]); ev_end(w);
    break;
  case S_listen:
    E_BEGIN(PPME_SOCKET_LISTEN_E); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)a[1]); ev_end(w);
    X_BEGIN(PPME_SOCKET_LISTEN_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_sendto:
    E_BEGIN(PPME_SOCKET_SENDTO_E); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)a[2]); ev_tuple(w, &b, 2, 1, b.p[1], b.n[1]); ev_end(w);
    X_BEGIN(PPME_SOCKET_SENDTO_X); ev_i64(w, ret); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  case S_recvfrom:
    E_BEGIN(PPME_SOCKET_RECVFROM_E); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)a[2]); ev_end(w);
    X_BEGIN(PPME_SOCKET_RECVFROM_X); ev_i64(w, ret); ev_raw(w, b.p[0], b.n[0]);
    if (ret >= 0) ev_tuple(w, &b, 2, 0, b.p[1], b.n[1]); else ev_empty(w);
    ev_end(w);
    break;
  case S_sendmsg:
    E_BEGIN(PPME_SOCKET_SENDMSG_E); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)r->ino); ev_tuple(w, &b, 2, 1, b.p[1], b.n[1]); ev_end(w);
    X_BEGIN(PPME_SOCKET_SENDMSG_X); ev_i64(w, ret); ev_raw(w, b.p[0], b.n[0]); ev_end(w);
    break;
  case S_recvmsg:
    E_BEGIN(PPME_SOCKET_RECVMSG_E); ev_i64(w, sfd(a[0])); ev_end(w);
    X_BEGIN(PPME_SOCKET_RECVMSG_X); ev_i64(w, ret); ev_u32(w, (uint32_t)r->ino); ev_raw(w, b.p[0], b.n[0]);
    if (ret >= 0) ev_tuple(w, &b, 2, 0, b.p[1], b.n[1]); else ev_empty(w);
    ev_end(w);
    break;
  case S_dup: case S_dup2: case S_dup3: case S_fcntl:
    /* dup2/dup3 and fcntl(F_DUPFD*) as the old DUP pair: sysdig 0.29.3 then keeps the fd table right */
    if (r->nr == S_fcntl && a[1] != 0 && a[1] != 1030) return 0;
    E_BEGIN(PPME_SYSCALL_DUP_E); ev_i64(w, sfd(a[0])); ev_end(w);
    X_BEGIN(PPME_SYSCALL_DUP_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_pipe: case S_pipe2:
    E_BEGIN(PPME_SYSCALL_PIPE_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_PIPE_X); ev_i64(w, ret); ev_i64(w, sfd(a[1])); ev_i64(w, sfd(a[2])); ev_u64(w, r->ino); ev_end(w);
    break;
  case S_unlink:
    E_BEGIN(PPME_SYSCALL_UNLINK_2_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_UNLINK_2_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_end(w);
    break;
  case S_unlinkat:
    E_BEGIN(PPME_SYSCALL_UNLINKAT_2_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_UNLINKAT_2_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)(a[2] & 0x200)); ev_end(w);
    break;
  case S_rename:
    E_BEGIN(PPME_SYSCALL_RENAME_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_RENAME_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_bstr(w, &b, 1); ev_end(w);
    break;
  case S_renameat: case S_renameat2: {
    uint16_t e = r->nr == S_renameat ? PPME_SYSCALL_RENAMEAT_E : PPME_SYSCALL_RENAMEAT2_E;
    E_BEGIN(e); ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_i64(w, sfd(a[2])); ev_bstr(w, &b, 1);
    if (r->nr == S_renameat2) ev_u32(w, (uint32_t)a[4]);
    ev_end(w);
    break;
  }
  case S_mkdir:
    E_BEGIN(PPME_SYSCALL_MKDIR_2_E); ev_u32(w, (uint32_t)(a[1] & 07777)); ev_end(w);
    X_BEGIN(PPME_SYSCALL_MKDIR_2_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_end(w);
    break;
  case S_mkdirat:
    E_BEGIN(PPME_SYSCALL_MKDIRAT_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_MKDIRAT_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)(a[2] & 07777)); ev_end(w);
    break;
  case S_rmdir:
    E_BEGIN(PPME_SYSCALL_RMDIR_2_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_RMDIR_2_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_end(w);
    break;
  case S_chmod:
    E_BEGIN(PPME_SYSCALL_CHMOD_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_CHMOD_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)(a[1] & 07777)); ev_end(w);
    break;
  case S_fchmod:
    E_BEGIN(PPME_SYSCALL_FCHMOD_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_FCHMOD_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)(a[1] & 07777)); ev_end(w);
    break;
  case S_fchmodat: case S_fchmodat2:
    E_BEGIN(PPME_SYSCALL_FCHMODAT_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_FCHMODAT_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)(a[2] & 07777)); ev_end(w);
    break;
  case S_chown: case S_lchown: {
    uint16_t e = r->nr == S_chown ? PPME_SYSCALL_CHOWN_E : PPME_SYSCALL_LCHOWN_E;
    E_BEGIN(e); ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)a[1]); ev_u32(w, (uint32_t)a[2]); ev_end(w);
    break;
  }
  case S_fchown:
    E_BEGIN(PPME_SYSCALL_FCHOWN_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_FCHOWN_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_u32(w, (uint32_t)a[1]); ev_u32(w, (uint32_t)a[2]); ev_end(w);
    break;
  case S_fchownat:
    E_BEGIN(PPME_SYSCALL_FCHOWNAT_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_FCHOWNAT_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)a[2]); ev_u32(w, (uint32_t)a[3]);
    ev_u32(w, (a[4] & 0x100 ? 2 : 0) | (a[4] & 0x1000 ? 1 : 0)); ev_end(w);
    break;
  case S_symlink:
    E_BEGIN(PPME_SYSCALL_SYMLINK_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_SYMLINK_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_bstr(w, &b, 1); ev_end(w);
    break;
  case S_symlinkat:
    E_BEGIN(PPME_SYSCALL_SYMLINKAT_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_SYMLINKAT_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_i64(w, sfd(a[1])); ev_bstr(w, &b, 1); ev_end(w);
    break;
  case S_link:
    E_BEGIN(PPME_SYSCALL_LINK_2_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_LINK_2_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_bstr(w, &b, 1); ev_end(w);
    break;
  case S_linkat:
    E_BEGIN(PPME_SYSCALL_LINKAT_2_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_LINKAT_2_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_i64(w, sfd(a[2])); ev_bstr(w, &b, 1);
    ev_u32(w, (a[4] & 0x400 ? 8 : 0) | (a[4] & 0x1000 ? 4 : 0)); ev_end(w);
    break;
  case S_setuid: case S_setgid: {
    uint16_t e = r->nr == S_setuid ? PPME_SYSCALL_SETUID_E : PPME_SYSCALL_SETGID_E;
    E_BEGIN(e); ev_u32(w, (uint32_t)a[0]); ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret); ev_end(w);
    if (ret == 0 && (t = thr_get(r->tid))) {
      if (r->nr == S_setuid) t->uid = (uint32_t)a[0]; else t->gid = (uint32_t)a[0];
    }
    break;
  }
  case S_setresuid: case S_setresgid: {
    uint16_t e = r->nr == S_setresuid ? PPME_SYSCALL_SETRESUID_E : PPME_SYSCALL_SETRESGID_E;
    E_BEGIN(e); ev_u32(w, (uint32_t)a[0]); ev_u32(w, (uint32_t)a[1]); ev_u32(w, (uint32_t)a[2]); ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret); ev_end(w);
    if (ret == 0 && (uint32_t)a[1] != 0xffffffffu && (t = thr_get(r->tid))) {
      if (r->nr == S_setresuid) t->uid = (uint32_t)a[1]; else t->gid = (uint32_t)a[1];
    }
    break;
  }
  case S_setreuid: case S_setregid: {
    uint16_t e = r->nr == S_setreuid ? PPME_SYSCALL_SETREUID_E : PPME_SYSCALL_SETREGID_E;
    E_BEGIN(e); ev_end(w);
    X_BEGIN(e + 1); ev_i64(w, ret); ev_u32(w, (uint32_t)a[0]); ev_u32(w, (uint32_t)a[1]); ev_end(w);
    break;
  }
  case S_ptrace: {
    uint8_t dyn[9];
    E_BEGIN(PPME_SYSCALL_PTRACE_E); ev_u16(w, ptrace_req_to_ppm(a[0])); ev_i64(w, (int64_t)(int32_t)a[1]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_PTRACE_X); ev_i64(w, ret);
    dyn[0] = 0; memcpy(dyn + 1, &a[2], 8); ev_raw(w, dyn, 9);
    dyn[0] = 0; memcpy(dyn + 1, &a[3], 8); ev_raw(w, dyn, 9);
    ev_end(w);
    break;
  }
  case S_mount:
    E_BEGIN(PPME_SYSCALL_MOUNT_E); ev_u32(w, (uint32_t)a[3]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_MOUNT_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_bstr(w, &b, 1); ev_bstr(w, &b, 2); ev_end(w);
    break;
  case S_umount2:
    E_BEGIN(PPME_SYSCALL_UMOUNT_E); ev_u32(w, (uint32_t)a[1]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_UMOUNT_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_end(w);
    break;
  case S_kill:
    E_BEGIN(PPME_SYSCALL_KILL_E); ev_i64(w, (int64_t)(int32_t)a[0]); ev_u8(w, (uint8_t)a[1]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_KILL_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_tkill:
    E_BEGIN(PPME_SYSCALL_TKILL_E); ev_i64(w, (int64_t)(int32_t)a[0]); ev_u8(w, (uint8_t)a[1]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_TKILL_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_tgkill:
    E_BEGIN(PPME_SYSCALL_TGKILL_E); ev_i64(w, (int64_t)(int32_t)a[0]); ev_i64(w, (int64_t)(int32_t)a[1]); ev_u8(w, (uint8_t)a[2]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_TGKILL_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_memfd_create:
    E_BEGIN(PPME_SYSCALL_MEMFD_CREATE_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_MEMFD_CREATE_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)(a[1] & 7)); ev_end(w);
    break;
  case S_init_module:
    E_BEGIN(PPME_SYSCALL_INIT_MODULE_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_INIT_MODULE_X); ev_i64(w, ret); ev_empty(w); ev_u64(w, a[1]); ev_bstr(w, &b, 0); ev_end(w);
    break;
  case S_finit_module:
    E_BEGIN(PPME_SYSCALL_FINIT_MODULE_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_FINIT_MODULE_X); ev_i64(w, ret); ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, (uint32_t)a[2]); ev_end(w);
    break;
  case S_bpf: {
    uint8_t dyn[9];
    E_BEGIN(PPME_SYSCALL_BPF_E); ev_i64(w, (int64_t)a[0]); ev_end(w);
    X_BEGIN(PPME_SYSCALL_BPF_X);
    /* res_or_fd: an fd for commands that create one (map/prog create, *_GET_FD_BY_ID, obj_get...), else errno */
    int fdcmd = ret >= 0 && (a[0] == 0 || a[0] == 5 || a[0] == 7 || a[0] == 13 || a[0] == 14 || a[0] == 18 || a[0] == 28);
    dyn[0] = fdcmd ? 0 : 1; memcpy(dyn + 1, &ret, 8); ev_raw(w, dyn, 9);
    ev_end(w);
    break;
  }
  case S_mprotect:
    E_BEGIN(PPME_SYSCALL_MPROTECT_E); ev_u64(w, a[0]); ev_u64(w, a[1]); ev_u32(w, (uint32_t)(a[2] & 7)); ev_end(w);
    X_BEGIN(PPME_SYSCALL_MPROTECT_X); ev_i64(w, ret); ev_end(w);
    break;
  case S_capset: {
    uint32_t d[6] = {0};
    memcpy(d, b.p[0], b.n[0] < 24 ? b.n[0] : 24);
    E_BEGIN(PPME_SYSCALL_CAPSET_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_CAPSET_X); ev_i64(w, ret);
    ev_u64(w, d[2] | (uint64_t)d[5] << 32); ev_u64(w, d[1] | (uint64_t)d[4] << 32); ev_u64(w, d[0] | (uint64_t)d[3] << 32);
    ev_end(w);
    break;
  }
  case S_prctl:
    E_BEGIN(PPME_SYSCALL_PRCTL_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_PRCTL_X); ev_i64(w, ret); ev_u32(w, prctl_option_to_ppm(a[0]));
    if (a[0] == 15 || a[0] == 16) {
      ev_bstr(w, &b, 0); ev_i64(w, 0);
    } else if (a[0] == 37) {
      int32_t v = 0;
      memcpy(&v, b.p[0], b.n[0] < 4 ? b.n[0] : 4);
      ev_empty(w); ev_i64(w, v);
    } else {
      ev_empty(w); ev_i64(w, (int64_t)a[1]);
    }
    ev_end(w);
    if (ret == 0 && a[0] == 15 && (t = thr_get(r->tid))) {
      size_t l = strnlen((const char *)b.p[0], b.n[0]);
      if (l > 15) l = 15;
      memcpy(t->comm, b.p[0], l);
      t->comm[l] = 0;
    }
    break;
  case S_chdir:
    E_BEGIN(PPME_SYSCALL_CHDIR_E); ev_end(w);
    X_BEGIN(PPME_SYSCALL_CHDIR_X); ev_i64(w, ret); ev_bstr(w, &b, 0); ev_end(w);
    if (ret == 0 && (t = thr_find_or_load(r->tid, r->pid))) {
      char p[4096];
      snprintf(p, sizeof(p), "%.*s", (int)strnlen((const char *)b.p[0], b.n[0]), (const char *)b.p[0]);
      join_cwd(t, p);
      refresh_cwd(t);
    }
    break;
  case S_fchdir:
    E_BEGIN(PPME_SYSCALL_FCHDIR_E); ev_i64(w, sfd(a[0])); ev_end(w);
    X_BEGIN(PPME_SYSCALL_FCHDIR_X); ev_i64(w, ret); ev_end(w);
    if (ret == 0 && (t = thr_find_or_load(r->tid, r->pid))) refresh_cwd(t);
    break;
  case S_execve: case S_execveat: {
    /* failed exec (a successful one comes as REC_EXEC) */
    t = thr_find_or_load(r->tid, r->pid);
    if (!t) return 0;
    int at = r->nr == S_execveat;
    E_BEGIN(at ? PPME_SYSCALL_EXECVEAT_E : PPME_SYSCALL_EXECVE_19_E);
    if (at) { ev_i64(w, sfd(a[0])); ev_bstr(w, &b, 0); ev_u32(w, (a[4] & 0x1000 ? 1 : 0) | (a[4] & 0x100 ? 2 : 0)); }
    else ev_bstr(w, &b, 0);
    ev_end(w);
    const char *argv = (const char *)b.p[1];
    size_t an = b.n[1], l0 = strnlen(argv, an);
    X_BEGIN(at ? PPME_SYSCALL_EXECVEAT_X : PPME_SYSCALL_EXECVE_19_X);
    ev_i64(w, ret);
    ev_strn(w, argv, l0);
    ev_raw(w, l0 < an ? argv + l0 + 1 : "", l0 < an ? an - l0 - 1 : 0);
    ev_i64(w, t->tid); ev_i64(w, t->pid); ev_i64(w, t->ptid);
    ev_strn(w, t->cwd.p ? t->cwd.p : "/", t->cwd.p ? t->cwd.n : 1);
    ev_u64(w, t->fdlimit); ev_u64(w, t->pgft_maj); ev_u64(w, t->pgft_min);
    ev_u32(w, t->vmsize); ev_u32(w, t->vmrss); ev_u32(w, t->vmswap);
    ev_str(w, t->comm);
    ev_raw(w, t->cgroups.p, t->cgroups.n);
    ev_raw(w, t->env.p, t->env.n);
    ev_u32(w, t->tty); ev_i64(w, t->pgid); ev_u32(w, t->loginuid); ev_u32(w, 0);
    ev_end(w);
    break;
  }
  case S_clone: case S_fork: case S_vfork: case S_clone3: {
    t = thr_find_or_load(r->tid, r->pid);
    if (!t) return 0;
    uint16_t e = clone_event(r->nr);
    uint64_t kf = clone_kflags(r->nr, a[0]);
    mem_from_rec(t, r, x);
    E_BEGIN(e); ev_end(w);
    X_BEGIN(e + 1);
    clone_exit_params(w, t, ret, clone_flags_to_ppm(kf));
    ev_end(w);
    if (ret > 0 && !thr_get((uint32_t)ret)) {
      /* the child inherits the parent's view until its own clone exit arrives */
      struct thr *ch = thr_put((uint32_t)ret, t);
      if (ch) {
        ch->tid = (uint32_t)ret;
        if (!(kf & 0x10000)) {
          ch->pid = (uint32_t)ret;
          ch->ptid = r->pid;
        }
      }
    }
    break;
  }
  default: {
    if (r->nr >= X64_NR_MAX) return 0;
    /* sysdig 0.29.3 knows PPM_SC codes up to 328 (clone3) and crashes on larger ones: those are written
     * as 0 (unknown); nativeID still names the syscall */
    uint16_t sc = x64_ppm_sc[r->nr] <= PPM_SC_MAX_0293 ? x64_ppm_sc[r->nr] : 0;
    E_BEGIN(PPME_GENERIC_E); ev_u16(w, sc); ev_u16(w, (uint16_t)r->nr); ev_end(w);
    X_BEGIN(PPME_GENERIC_X); ev_u16(w, sc); ev_end(w);
    break;
  }
  }
  return 2;
}

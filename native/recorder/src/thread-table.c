#define _GNU_SOURCE
#include "thread-table.h"
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static struct thr **tab;
static uint32_t tab_size;

int thr_init(void) {
  char b[32];
  tab_size = 4194304;
  if (read_file("/proc/sys/kernel/pid_max", b, sizeof(b)) > 0) tab_size = (uint32_t)strtoul(b, 0, 10) + 1;
  tab = calloc(tab_size, sizeof(*tab)); /* mostly untouched virtual memory */
  return tab ? 0 : -1;
}

void lstr_set(struct lstr *s, const void *p, size_t n) {
  char *np = malloc(n + 1);
  if (!np) abort();
  if (n) memcpy(np, p, n);
  np[n] = 0;
  free(s->p);
  s->p = np;
  s->n = n;
}
void lstr_setz(struct lstr *s, const char *p) { lstr_set(s, p ? p : "", p ? strlen(p) : 0); }

static void thr_free_strings(struct thr *t) {
  struct lstr *all[] = {&t->exe, &t->exepath, &t->args, &t->cwd, &t->env, &t->cgroups, &t->root};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
    free(all[i]->p);
    all[i]->p = 0;
    all[i]->n = 0;
  }
}

struct thr *thr_get(uint32_t tid) { return tid < tab_size ? tab[tid] : 0; }

struct thr *thr_put(uint32_t tid, const struct thr *from) {
  if (tid >= tab_size) return 0;
  struct thr *t = tab[tid];
  if (t == from && t) return t;
  if (!t) {
    t = calloc(1, sizeof(*t));
    if (!t) abort();
    tab[tid] = t;
  } else {
    thr_free_strings(t);
  }
  if (from) {
    *t = *from;
    memset(&t->exe, 0, sizeof(struct lstr) * 7);
    lstr_set(&t->exe, from->exe.p, from->exe.n);
    lstr_set(&t->exepath, from->exepath.p, from->exepath.n);
    lstr_set(&t->args, from->args.p, from->args.n);
    lstr_set(&t->cwd, from->cwd.p, from->cwd.n);
    lstr_set(&t->env, from->env.p, from->env.n);
    lstr_set(&t->cgroups, from->cgroups.p, from->cgroups.n);
    lstr_set(&t->root, from->root.p, from->root.n);
  } else {
    memset(t, 0, sizeof(*t));
    t->loginuid = 0xFFFFFFFFu;
    t->vtid = t->vpid = 0;
    lstr_setz(&t->cwd, "/");
    lstr_setz(&t->root, "/");
  }
  t->tid = tid;
  return t;
}

void thr_del(uint32_t tid) {
  struct thr *t = thr_get(tid);
  if (!t) return;
  thr_free_strings(t);
  free(t);
  tab[tid] = 0;
}

ssize_t read_file(const char *path, char *out, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t n = 0;
  while (n + 1 < cap) {
    ssize_t r = read(fd, out + n, cap - 1 - n);
    if (r <= 0) break;
    n += (size_t)r;
  }
  close(fd);
  out[n] = 0;
  return (ssize_t)n;
}

static int read_link(const char *path, struct lstr *out) {
  char b[4096];
  ssize_t n = readlink(path, b, sizeof(b) - 1);
  if (n < 0) return -1;
  lstr_set(out, b, (size_t)n);
  return 0;
}

int proc_cgroups(uint32_t pid, struct lstr *out) {
  char path[64], b[8192];
  snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
  ssize_t n = read_file(path, b, sizeof(b));
  if (n <= 0) return -1;
  char res[8192];
  size_t o = 0;
  for (char *line = strtok(b, "\n"); line; line = strtok(0, "\n")) {
    char *c1 = strchr(line, ':');
    if (!c1) continue;
    char *c2 = strchr(c1 + 1, ':');
    if (!c2) continue;
    *c2 = 0;
    const char *subs = c1 + 1, *cpath = c2 + 1;
    if (*subs == 0) subs = "unified"; /* cgroup v2 line "0::/path" */
    /* "cpu,cpuacct" -> one entry per controller, like libscap */
    char sb[256];
    snprintf(sb, sizeof(sb), "%s", subs);
    for (char *sv, *s = strtok_r(sb, ",", &sv); s; s = strtok_r(0, ",", &sv)) {
      int w = snprintf(res + o, sizeof(res) - o, "%s=%s", s, cpath);
      if (w < 0 || (size_t)w + 1 >= sizeof(res) - o) break;
      o += (size_t)w + 1; /* keep the NUL */
    }
  }
  lstr_set(out, res, o);
  return 0;
}

/* cgroup v2 id (kernfs inode) -> path, by walking the cgroup2 mount; rebuilt on a miss at most once/s */
static char cg2_mount[256];
static struct {
  uint64_t ino;
  char *path;
} *cgmap;
static size_t cgmap_n, cgmap_cap;
static time_t cgmap_built;

static int cg_walk(const char *p, const struct stat *st, int flag, struct FTW *f) {
  (void)f;
  if (flag != FTW_D) return 0;
  if (cgmap_n == cgmap_cap) {
    cgmap_cap = cgmap_cap ? cgmap_cap * 2 : 256;
    cgmap = realloc(cgmap, cgmap_cap * sizeof(*cgmap));
    if (!cgmap) abort();
  }
  const char *rel = p + strlen(cg2_mount);
  cgmap[cgmap_n].ino = st->st_ino;
  cgmap[cgmap_n].path = strdup(*rel ? rel : "/");
  cgmap_n++;
  return 0;
}

static const char *cg2_path(uint64_t id) {
  for (size_t i = 0; i < cgmap_n; i++)
    if (cgmap[i].ino == id) return cgmap[i].path;
  time_t now = time(0);
  if (now == cgmap_built) return 0;
  cgmap_built = now;
  if (!cg2_mount[0]) {
    char b[65536];
    if (read_file("/proc/self/mountinfo", b, sizeof(b)) <= 0) return 0;
    for (char *line = strtok(b, "\n"); line; line = strtok(0, "\n")) {
      char *dash = strstr(line, " - cgroup2 ");
      if (!dash) continue;
      char mp[256];
      if (sscanf(line, "%*s %*s %*s %*s %255s", mp) == 1) snprintf(cg2_mount, sizeof(cg2_mount), "%s", mp);
      break;
    }
    if (!cg2_mount[0]) return 0;
  }
  for (size_t i = 0; i < cgmap_n; i++) free(cgmap[i].path);
  cgmap_n = 0;
  nftw(cg2_mount, cg_walk, 16, FTW_PHYS | FTW_MOUNT);
  for (size_t i = 0; i < cgmap_n; i++)
    if (cgmap[i].ino == id) return cgmap[i].path;
  return 0;
}

void cgroups_with_v2_id(struct lstr *cg, uint64_t cgid) {
  if (!cgid) return;
  const char *p = cg2_path(cgid);
  if (!p) return;
  char res[8192];
  size_t o = 0;
  int done = 0;
  for (size_t i = 0; i < cg->n;) {
    const char *e = cg->p + i;
    size_t l = strnlen(e, cg->n - i);
    int w;
    if (strncmp(e, "unified=", 8) == 0) {
      w = snprintf(res + o, sizeof(res) - o, "unified=%s", p);
      done = 1;
    } else {
      w = snprintf(res + o, sizeof(res) - o, "%.*s", (int)l, e);
    }
    if (w < 0 || (size_t)w + 1 >= sizeof(res) - o) break;
    o += (size_t)w + 1;
    i += l + 1;
  }
  if (!done) {
    int w = snprintf(res + o, sizeof(res) - o, "unified=%s", p);
    if (w > 0 && (size_t)w + 1 < sizeof(res) - o) o += (size_t)w + 1;
  }
  lstr_set(cg, res, o);
}

static uint32_t status_field(const char *st, const char *key, int idx) {
  const char *p = strstr(st, key);
  if (!p) return 0;
  p += strlen(key);
  uint32_t v = 0;
  for (int i = 0; i <= idx; i++) {
    char *end;
    v = (uint32_t)strtoul(p, &end, 10);
    if (end == p) return 0;
    p = end;
  }
  return v;
}

/* last number of a "NSpid:\t1234\t5" line: the id inside the innermost pid namespace */
static uint32_t status_last(const char *st, const char *key) {
  const char *p = strstr(st, key);
  if (!p) return 0;
  p += strlen(key);
  uint32_t v = 0;
  for (;;) {
    while (*p == ' ' || *p == '\t') p++;
    if (*p < '0' || *p > '9') break;
    char *end;
    v = (uint32_t)strtoul(p, &end, 10);
    p = end;
  }
  return v;
}

int thr_load_proc(struct thr *t, uint32_t pid, uint32_t tid) {
  char base[64], path[96], b[8192];
  snprintf(base, sizeof(base), "/proc/%u/task/%u", pid, tid);
  snprintf(path, sizeof(path), "%s/stat", base);
  if (read_file(path, b, sizeof(b)) <= 0) return -1;
  char *lp = strchr(b, '('), *rp = strrchr(b, ')');
  if (!lp || !rp) return -1;
  size_t cl = (size_t)(rp - lp - 1);
  if (cl > 16) cl = 16;
  memcpy(t->comm, lp + 1, cl);
  t->comm[cl] = 0;
  char state;
  int ppid = 0, pgrp = 0, sess = 0, ttynr = 0;
  unsigned flags = 0;
  sscanf(rp + 2, "%c %d %d %d %d %*d %u", &state, &ppid, &pgrp, &sess, &ttynr, &flags);
  t->tid = tid;
  t->pid = pid;
  t->ptid = (uint32_t)ppid;
  t->pgid = (uint32_t)pgrp;
  t->sid = (uint32_t)sess;
  t->tty = (uint32_t)ttynr;
  t->kthread = (flags & 0x00200000) != 0;
  snprintf(path, sizeof(path), "%s/status", base);
  if (read_file(path, b, sizeof(b)) > 0) {
    t->uid = status_field(b, "\nUid:", 1); /* effective */
    t->gid = status_field(b, "\nGid:", 1);
    t->vtid = status_last(b, "\nNSpid:");
    t->vpid = status_last(b, "\nNStgid:");
    t->vmsize = status_field(b, "\nVmSize:", 0);
    t->vmrss = status_field(b, "\nVmRSS:", 0);
    t->vmswap = status_field(b, "\nVmSwap:", 0);
  }
  snprintf(path, sizeof(path), "/proc/%u/loginuid", pid);
  t->loginuid = read_file(path, b, sizeof(b)) > 0 ? (uint32_t)strtoul(b, 0, 10) : 0xFFFFFFFFu;
  snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
  ssize_t n = read_file(path, b, sizeof(b));
  if (n > 0) {
    size_t l0 = strnlen(b, (size_t)n);
    lstr_set(&t->exe, b, l0);
    if ((size_t)n > l0 + 1)
      lstr_set(&t->args, b + l0 + 1, (size_t)n - l0 - 1);
    else
      lstr_set(&t->args, "", 0);
  } else {
    lstr_setz(&t->exe, t->kthread ? t->comm : "");
    lstr_set(&t->args, "", 0);
  }
  snprintf(path, sizeof(path), "/proc/%u/exe", pid);
  if (read_link(path, &t->exepath) < 0) lstr_setz(&t->exepath, "");
  snprintf(path, sizeof(path), "/proc/%u/cwd", pid);
  if (read_link(path, &t->cwd) < 0 && !t->cwd.p) lstr_setz(&t->cwd, "/");
  snprintf(path, sizeof(path), "/proc/%u/root", pid);
  if (read_link(path, &t->root) < 0 && !t->root.p) lstr_setz(&t->root, "/");
  snprintf(path, sizeof(path), "/proc/%u/environ", pid);
  n = read_file(path, b, 4096);
  lstr_set(&t->env, b, n > 0 ? (size_t)n : 0);
  if (proc_cgroups(pid, &t->cgroups) < 0 && !t->cgroups.p) lstr_set(&t->cgroups, "", 0);
  struct rlimit rl;
  t->fdlimit = prlimit((pid_t)pid, RLIMIT_NOFILE, 0, &rl) == 0 ? rl.rlim_cur : 0;
  return 0;
}

struct thr *thr_find_or_load(uint32_t tid, uint32_t pid) {
  struct thr *t = thr_get(tid);
  if (t) return t;
  t = thr_put(tid, 0);
  if (!t) return 0;
  t->pid = pid;
  if (thr_load_proc(t, pid, tid) < 0) {
    /* gone already: inherit what the main thread had, if known */
    struct thr *m = pid != tid ? thr_get(pid) : 0;
    if (m) {
      t = thr_put(tid, m);
      t->tid = tid;
    } else {
      snprintf(t->comm, sizeof(t->comm), "<NA>");
    }
  }
  return t;
}

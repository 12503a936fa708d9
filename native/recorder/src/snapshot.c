#define _GNU_SOURCE
#include "snapshot.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "thread-table.h"

uint32_t open_flags_to_ppm(uint32_t f) {
  uint32_t r = 0;
  switch (f & 3) {
  case 0: r |= 1; break;
  case 1: r |= 2; break;
  case 2: r |= 3; break;
  }
  if (f & 0100) r |= 4;
  if (f & 02000) r |= 8;
  if (f & 010000) r |= 0x10;
  if (f & 0200) r |= 0x20;
  if (f & 04000) r |= 0x40;
  if ((f & 04010000) == 04010000) r |= 0x80;
  if (f & 01000) r |= 0x100;
  if (f & 040000) r |= 0x200;
  if ((f & 020200000) == 020200000)
    r |= 0x2000;
  else if (f & 0200000)
    r |= 0x400;
  if (f & 0100000) r |= 0x800;
  if (f & 02000000) r |= 0x1000;
  return r;
}

uint32_t encode_dev(uint32_t kdev) {
  uint32_t ma = kdev >> 20, mi = kdev & 0xfffff;
  return (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
}

void write_mi(struct scapw *w, uint64_t boot_epoch_ns) {
  struct buf b = {0};
  struct sysinfo si;
  sysinfo(&si);
  char pm[32] = "4194304";
  read_file("/proc/sys/kernel/pid_max", pm, sizeof(pm));
  buf_u32(&b, (uint32_t)sysconf(_SC_NPROCESSORS_ONLN));
  buf_u64(&b, (uint64_t)si.totalram * si.mem_unit);
  buf_u64(&b, strtoull(pm, 0, 10));
  char host[128] = {0};
  gethostname(host, sizeof(host) - 1);
  buf_put(&b, host, 128);
  buf_u64(&b, boot_epoch_ns); /* 2022: reserved1; current libs: boot time */
  buf_u64(&b, 0);
  buf_u64(&b, 0);
  buf_u64(&b, 0);
  scapw_block(w, BT_MI, b.p, b.n); /* body 180 bytes */
  buf_free(&b);
}

/* /etc/passwd and /etc/group parsed by hand: static glibc cannot use NSS */
void write_ul(struct scapw *w) {
  struct buf b = {0};
  char line[2048];
  FILE *f = fopen("/etc/passwd", "r");
  while (f && fgets(line, sizeof(line), f)) {
    char *fld[7] = {0};
    int n = 0;
    char *p = line;
    line[strcspn(line, "\n")] = 0;
    while (n < 7) {
      fld[n++] = p;
      char *c = strchr(p, ':');
      if (!c) break;
      *c = 0;
      p = c + 1;
    }
    if (n < 7) continue;
    size_t at = b.n;
    buf_u32(&b, 0);
    buf_u8(&b, 0);
    buf_u32(&b, (uint32_t)strtoul(fld[2], 0, 10));
    buf_u32(&b, (uint32_t)strtoul(fld[3], 0, 10));
    buf_cs16(&b, fld[0], 255);
    buf_cs16(&b, fld[5], 255);
    buf_cs16(&b, fld[6], 255);
    buf_patch_u32(&b, at, (uint32_t)(b.n - at));
  }
  if (f) fclose(f);
  f = fopen("/etc/group", "r");
  while (f && fgets(line, sizeof(line), f)) {
    line[strcspn(line, "\n")] = 0;
    char *c1 = strchr(line, ':');
    if (!c1) continue;
    char *c2 = strchr(c1 + 1, ':');
    if (!c2) continue;
    *c1 = 0;
    size_t at = b.n;
    buf_u32(&b, 0);
    buf_u8(&b, 1);
    buf_u32(&b, (uint32_t)strtoul(c2 + 1, 0, 10));
    buf_cs16(&b, line, 255);
    buf_patch_u32(&b, at, (uint32_t)(b.n - at));
  }
  if (f) fclose(f);
  scapw_block(w, BT_UL_V2, b.p, b.n);
  buf_free(&b);
}

void write_il(struct scapw *w) {
  struct ifaddrs *ifa = 0;
  struct buf b = {0};
  if (getifaddrs(&ifa) == 0) {
    for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
      if (!i->ifa_addr) continue;
      int fam = i->ifa_addr->sa_family;
      if (fam != AF_INET && fam != AF_INET6) continue;
      size_t nl = strlen(i->ifa_name);
      size_t at = b.n;
      buf_u32(&b, 0);
      buf_u16(&b, fam == AF_INET ? 3 : 4); /* *_NOLINKSPEED */
      buf_u16(&b, (uint16_t)nl);
      size_t al = fam == AF_INET ? 4 : 16;
      const void *a, *m, *bc;
      static const uint8_t zero[16];
      if (fam == AF_INET) {
        a = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
        m = i->ifa_netmask ? (const void *)&((struct sockaddr_in *)i->ifa_netmask)->sin_addr : zero;
        bc = (i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr ? (const void *)&((struct sockaddr_in *)i->ifa_broadaddr)->sin_addr : zero;
      } else {
        a = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
        m = i->ifa_netmask ? (const void *)&((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr : zero;
        bc = zero;
      }
      buf_put(&b, a, al);
      buf_put(&b, m, al);
      buf_put(&b, bc, al);
      buf_put(&b, i->ifa_name, nl);
      buf_patch_u32(&b, at, (uint32_t)(b.n - at - 4)); /* IL V2 entry length excludes itself */
    }
    freeifaddrs(ifa);
  }
  scapw_block(w, BT_IL_V2, b.p, b.n);
  buf_free(&b);
}

static void pl_entry(struct buf *b, const struct thr *t) {
  size_t at = b->n;
  buf_u32(b, 0);
  buf_u64(b, t->tid);
  buf_u64(b, t->pid);
  buf_u64(b, t->ptid);
  buf_u64(b, t->sid);
  buf_u64(b, t->pgid);
  buf_cs16(b, t->comm, 1024);
  buf_s16(b, t->exe.p, t->exe.n, 1024);
  buf_s16(b, t->exepath.p, t->exepath.n, 1024);
  /* args: each argument NUL-terminated */
  size_t an = t->args.n;
  if (an > 4096) an = 4096;
  buf_s16(b, t->args.p, an, 4096);
  buf_s16(b, t->cwd.p, t->cwd.n, 1024);
  buf_u64(b, t->fdlimit);
  buf_u32(b, t->flags);
  buf_u32(b, t->uid);
  buf_u32(b, t->gid);
  buf_u32(b, t->vmsize);
  buf_u32(b, t->vmrss);
  buf_u32(b, t->vmswap);
  buf_u64(b, 0);
  buf_u64(b, 0);
  buf_s16(b, t->env.p, t->env.n, 4096);
  buf_u64(b, t->vtid);
  buf_u64(b, t->vpid);
  buf_s16(b, t->cgroups.p, t->cgroups.n, 4096);
  buf_s16(b, t->root.p, t->root.n, 1024);
  /* pre-0.10 V9 tail: read correctly by sysdig 0.29.3 and by current libs */
  buf_u32(b, t->loginuid);
  buf_u8(b, 0);
  buf_u64(b, 0);
  buf_u64(b, 0);
  buf_u64(b, 0);
  buf_patch_u32(b, at, (uint32_t)(b->n - at));
}

/* socket inode -> tuple, from /proc/<pid>/net/{tcp,tcp6,udp,udp6,unix} */
struct sockent {
  uint64_t ino;
  uint8_t type; /* scap fd type */
  uint8_t l4;
  uint8_t la[16], ra[16];
  uint16_t lp, rp;
  char path[108];
};
static struct sockent *socks;
static size_t nsocks, capsocks;
static uint64_t socks_netns;

static void hex_addr(const char *h, uint8_t *out, int v6) {
  size_t n = v6 ? 16 : 4;
  for (size_t i = 0; i < n / 4; i++) {
    uint32_t word;
    char t[9];
    memcpy(t, h + i * 8, 8);
    t[8] = 0;
    word = (uint32_t)strtoul(t, 0, 16);
    memcpy(out + i * 4, &word, 4); /* /proc prints each 32-bit word in host order */
  }
}

static void load_net(const char *file, int v6, uint8_t l4) {
  FILE *f = fopen(file, "r");
  if (!f) return;
  char line[512];
  if (!fgets(line, sizeof(line), f)) goto out;
  while (fgets(line, sizeof(line), f)) {
    char la[40], ra[40];
    unsigned lp, rp, st;
    unsigned long ino;
    if (sscanf(line, " %*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x %*s %*s %*s %*s %*s %lu", la, &lp, ra, &rp, &st, &ino) != 6) continue;
    if (nsocks == capsocks) {
      capsocks = capsocks ? capsocks * 2 : 64;
      socks = realloc(socks, capsocks * sizeof(*socks));
    }
    struct sockent *s = &socks[nsocks++];
    memset(s, 0, sizeof(*s));
    s->ino = ino;
    s->l4 = l4;
    hex_addr(la, s->la, v6);
    hex_addr(ra, s->ra, v6);
    s->lp = (uint16_t)lp;
    s->rp = (uint16_t)rp;
    int listening = (l4 == 2 && st == 0x0A) || (l4 == 3 && rp == 0);
    s->type = v6 ? (listening ? 6 : 4) : (listening ? 5 : 3);
  }
out:
  fclose(f);
}

static void load_unix(const char *file) {
  FILE *f = fopen(file, "r");
  if (!f) return;
  char line[512];
  if (!fgets(line, sizeof(line), f)) goto out;
  while (fgets(line, sizeof(line), f)) {
    unsigned long ino;
    char path[256] = "";
    if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %255s", &ino, path) < 1) continue;
    if (nsocks == capsocks) {
      capsocks = capsocks ? capsocks * 2 : 64;
      socks = realloc(socks, capsocks * sizeof(*socks));
    }
    struct sockent *s = &socks[nsocks++];
    memset(s, 0, sizeof(*s));
    s->ino = ino;
    s->type = 8;
    snprintf(s->path, sizeof(s->path), "%s", path);
  }
out:
  fclose(f);
}

static const struct sockent *find_sock(uint32_t pid, uint64_t ino) {
  char p[64];
  struct stat st;
  snprintf(p, sizeof(p), "/proc/%u/ns/net", pid);
  uint64_t ns = stat(p, &st) == 0 ? st.st_ino : 0;
  if (ns != socks_netns || !socks) {
    nsocks = 0;
    socks_netns = ns;
    const char *names[] = {"tcp", "tcp6", "udp", "udp6"};
    for (int i = 0; i < 4; i++) {
      snprintf(p, sizeof(p), "/proc/%u/net/%s", pid, names[i]);
      load_net(p, i % 2, i < 2 ? 2 : 3);
    }
    snprintf(p, sizeof(p), "/proc/%u/net/unix", pid);
    load_unix(p);
  }
  for (size_t i = 0; i < nsocks; i++)
    if (socks[i].ino == ino) return &socks[i];
  return 0;
}

static void fd_entry(struct buf *b, int64_t fd, uint64_t ino, uint8_t type, const struct buf *payload) {
  size_t at = b->n;
  buf_u32(b, 0);
  buf_u64(b, (uint64_t)fd);
  buf_u64(b, ino);
  buf_u8(b, type);
  buf_put(b, payload->p, payload->n);
  buf_patch_u32(b, at, (uint32_t)(b->n - at));
}

static void write_fdl(struct scapw *w, uint32_t pid) {
  char dpath[64];
  snprintf(dpath, sizeof(dpath), "/proc/%u/fd", pid);
  DIR *d = opendir(dpath);
  if (!d) return;
  struct buf b = {0}, pl = {0};
  buf_u64(&b, pid);
  size_t empty = b.n;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
    int64_t fd = strtoll(de->d_name, 0, 10);
    char lp[320], target[1024], info[512];
    snprintf(lp, sizeof(lp), "%s/%s", dpath, de->d_name);
    ssize_t n = readlink(lp, target, sizeof(target) - 1);
    if (n < 0) continue;
    target[n] = 0;
    struct stat st;
    int have_st = stat(lp, &st) == 0;
    snprintf(lp, sizeof(lp), "/proc/%u/fdinfo/%s", pid, de->d_name);
    uint32_t oflags = 0;
    if (read_file(lp, info, sizeof(info)) > 0) {
      char *fl = strstr(info, "flags:");
      if (fl) oflags = (uint32_t)strtoul(fl + 6, 0, 8);
    }
    pl.n = 0;
    uint8_t type;
    uint64_t ino = have_st ? st.st_ino : 0;
    if (strncmp(target, "socket:[", 8) == 0) {
      const struct sockent *s = find_sock(pid, strtoull(target + 8, 0, 10));
      if (!s) {
        type = 10;
        buf_cs16(&pl, target, 1023);
      } else if (s->type == 3) {
        type = 3;
        buf_put(&pl, s->la, 4);
        buf_put(&pl, s->ra, 4);
        buf_u16(&pl, s->lp);
        buf_u16(&pl, s->rp);
        buf_u8(&pl, s->l4);
      } else if (s->type == 4) {
        type = 4;
        buf_put(&pl, s->la, 16);
        buf_put(&pl, s->ra, 16);
        buf_u16(&pl, s->lp);
        buf_u16(&pl, s->rp);
        buf_u8(&pl, s->l4);
      } else if (s->type == 5 || s->type == 6) {
        type = s->type;
        buf_put(&pl, s->la, s->type == 5 ? 4 : 16);
        buf_u16(&pl, s->lp);
        buf_u8(&pl, s->l4);
      } else {
        type = 8;
        buf_u64(&pl, s->ino);
        buf_u64(&pl, 0);
        buf_cs16(&pl, s->path, 1023);
      }
    } else if (strncmp(target, "pipe:[", 6) == 0) {
      type = 7;
      buf_cs16(&pl, target, 1023);
    } else if (strncmp(target, "anon_inode:", 11) == 0) {
      const char *k = target + 11;
      type = strstr(k, "eventfd") ? 9 : strstr(k, "signalfd") ? 11 : strstr(k, "eventpoll") ? 12 : strstr(k, "inotify") ? 13 : strstr(k, "timerfd") ? 14 : 10;
      buf_cs16(&pl, target, 1023);
    } else if (have_st && S_ISDIR(st.st_mode)) {
      type = 2;
      buf_cs16(&pl, target, 1023);
    } else if (target[0] == '/') {
      type = 16;
      buf_u32(&pl, open_flags_to_ppm(oflags));
      buf_cs16(&pl, target, 1023);
      buf_u32(&pl, have_st ? (uint32_t)((major(st.st_dev) << 8) | (minor(st.st_dev) & 0xff) | ((minor(st.st_dev) & ~0xffu) << 12)) : 0);
    } else {
      type = 10;
      buf_cs16(&pl, target, 1023);
    }
    fd_entry(&b, fd, ino, type, &pl);
  }
  closedir(d);
  if (b.n > empty) scapw_block(w, BT_FDL_V2, b.p, b.n);
  buf_free(&b);
  buf_free(&pl);
}

static int load_process(struct buf *pl, uint32_t pid, uint32_t *tids, int *ntids, int cap, int blank_env) {
  char tp[64];
  snprintf(tp, sizeof(tp), "/proc/%u/task", pid);
  DIR *d = opendir(tp);
  if (!d) return 0;
  struct dirent *de;
  int n = 0;
  while ((de = readdir(d))) {
    if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
    uint32_t tid = (uint32_t)strtoul(de->d_name, 0, 10);
    struct thr *t = thr_put(tid, 0);
    if (!t) continue;
    if (thr_load_proc(t, pid, tid) < 0) {
      thr_del(tid);
      continue;
    }
    if (blank_env) lstr_set(&t->env, "", 0);
    pl_entry(pl, t);
    n++;
    if (*ntids < cap) tids[(*ntids)++] = tid;
  }
  closedir(d);
  return n;
}

static uint32_t tids[65536];
static int ntids;
int snapshot_tids(const uint32_t **out) {
  *out = tids;
  return ntids;
}

int write_proc_snapshot(struct scapw *w, int all, const uint32_t *pids, int npids, uint32_t skip_fds_of, int blank_env) {
  struct buf pl = {0};
  static uint32_t procs[65536];
  int nprocs = 0, nthreads = 0;
  ntids = 0;
  if (all) {
    DIR *d = opendir("/proc");
    struct dirent *de;
    while (d && (de = readdir(d))) {
      if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
      uint32_t pid = (uint32_t)strtoul(de->d_name, 0, 10);
      int n = load_process(&pl, pid, tids, &ntids, 65536, blank_env);
      if (n > 0 && nprocs < 65536) procs[nprocs++] = pid;
      nthreads += n;
    }
    if (d) closedir(d);
  } else {
    for (int i = 0; i < npids; i++) {
      int n = load_process(&pl, pids[i], tids, &ntids, 65536, blank_env);
      if (n > 0) procs[nprocs++] = pids[i];
      nthreads += n;
    }
  }
  scapw_block(w, BT_PL_V9, pl.p, pl.n);
  buf_free(&pl);
  for (int i = 0; i < nprocs; i++)
    if (procs[i] != skip_fds_of) write_fdl(w, procs[i]);
  return nthreads;
}

/* peregrine-recorder: records syscalls with eBPF (raw tracepoints) into a .scap file that sysdig 0.29.3,
 * current Falco/Stratoshark libs and Peregrine read.
 *   peregrine-recorder -o OUT.scap [--duration S] [--max-events N] [--max-size MB] [--snaplen N]
 *                      [--generic] [--container ID,NAME,IMAGE]... (--all | -- CMD ARGS...)
 * Exit codes: 0 recorded, 2 usage or environment (not root, no BTF, load failure), 3 write error. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "convert.h"
#include "recorder.bpf.skel.h"
#include "recorder.h"
#include "snapshot.h"
#include "thread-table.h"

static volatile sig_atomic_t stop_sig;
static void on_signal(int s) { stop_sig = s; }

/* Records waiting for the reorder window: pend[phead..npend), sorted by exit time. Their bytes live in an
 * arena (no malloc per record). Flushed entries are dropped by moving phead; the array and the arena are
 * compacted only when most of them is dead (compacting every 10 ms round copied each record twice more). */
struct pending {
  uint64_t ts, seq;
  uint32_t len;
  size_t off; /* struct rec + blobs, at arena.p + off */
};
static struct pending *pend;
static size_t phead, npend, cappend;
static uint64_t seq, received;
static struct buf arena, spare;

static int on_record(void *ctx, void *data, size_t len) {
  (void)ctx;
  if (len < sizeof(struct rec)) return 0;
  if (npend == cappend) {
    cappend = cappend ? cappend * 2 : 4096;
    pend = realloc(pend, cappend * sizeof(*pend));
    if (!pend) abort();
  }
  buf_reserve(&arena, (len + 7) & ~(size_t)7);
  struct pending *p = &pend[npend++];
  p->off = arena.n;
  memcpy(arena.p + p->off, data, len);
  arena.n += (len + 7) & ~(size_t)7;
  p->len = (uint32_t)len;
  p->ts = ((const struct rec *)data)->ts_exit;
  p->seq = seq++;
  received++;
  /* keep `pend` sorted by exit time as records arrive: they come nearly in order (the ring is filled in
   * reservation order, just after the timestamp is taken), so this rarely moves more than a few entries */
  size_t i = npend - 1;
  if (i > phead && pend[i - 1].ts > p->ts) {
    struct pending x = *p;
    while (i > phead && pend[i - 1].ts > x.ts) {
      pend[i] = pend[i - 1];
      i--;
    }
    pend[i] = x;
  }
  return 0;
}

static int is_clone_nr(uint32_t nr) { return nr == 56 || nr == 57 || nr == 58 || nr == 435; }

/* The child of a fork often returns to user space before its parent does. Readers (sysdig 0.29.3 in
 * particular) build the child from the parent's clone exit, so that exit is moved in front of the
 * child's first record, its timestamps lowered to the child's (a shift of microseconds, or for vfork,
 * until the child execs). Only records up to the watermark are considered. */
static void parents_first(uint64_t wm) {
  for (size_t i = phead; i < npend && pend[i].ts <= wm; i++) {
    struct rec *c = (struct rec *)(arena.p + pend[i].off);
    if (c->kind != REC_CHILD) continue;
    for (size_t j = i + 1; j < npend; j++) {
      struct rec *p = (struct rec *)(arena.p + pend[j].off);
      if (p->kind != REC_SYSCALL || !is_clone_nr(p->nr) || p->ret != (int64_t)c->tid) continue;
      struct pending moved = pend[j];
      memmove(pend + i + 1, pend + i, (j - i) * sizeof(*pend));
      pend[i] = moved;
      if (p->ts_enter > c->ts_exit) p->ts_enter = c->ts_exit;
      if (p->ts_exit > c->ts_exit) p->ts_exit = c->ts_exit;
      moved.ts = p->ts_exit;
      pend[i].ts = p->ts_exit;
      i++; /* skip over the child we just passed */
      break;
    }
  }
}

static uint64_t now_ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CLOCK_BOOTTIME - CLOCK_MONOTONIC (the time spent suspended), from readings on both sides of the boot one */
static uint64_t mono_to_boot(void) {
  uint64_t m1 = now_ns(CLOCK_MONOTONIC), b = now_ns(CLOCK_BOOTTIME), m2 = now_ns(CLOCK_MONOTONIC);
  return b - (m1 + (m2 - m1) / 2);
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: peregrine-recorder -o OUT.scap [--duration S] [--max-events N] [--max-size MB] [--snaplen N]\n"
          "                          [--generic] [--container ID,NAME,IMAGE] (--all | -- CMD ARGS...)\n");
}

static uint64_t sum_stat(int fd, uint32_t idx, int ncpu) {
  uint64_t vals[512] = {0};
  if (ncpu > 512) ncpu = 512;
  if (bpf_map_lookup_elem(fd, &idx, vals) != 0) return 0;
  uint64_t s = 0;
  for (int i = 0; i < ncpu; i++) s += vals[i];
  return s;
}

int main(int argc, char **argv) {
  const char *out = 0;
  double duration = 0;
  uint64_t max_events = 0, max_bytes = 0;
  unsigned snaplen = 80, ring_mb = 16;
  int all = 0, generic = 0, verbose = 0;
  static const struct option opts[] = {
    {"output", required_argument, 0, 'o'}, {"duration", required_argument, 0, 'd'},
    {"max-events", required_argument, 0, 'n'}, {"max-size", required_argument, 0, 'm'},
    {"snaplen", required_argument, 0, 's'}, {"all", no_argument, 0, 'a'},
    {"generic", no_argument, 0, 'g'}, {"container", required_argument, 0, 'c'},
    {"ring-mb", required_argument, 0, 'r'}, {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
  };
  int o;
  while ((o = getopt_long(argc, argv, "+o:d:n:m:s:agc:r:vh", opts, 0)) != -1) {
    switch (o) {
    case 'o': out = optarg; break;
    case 'd': duration = atof(optarg); break;
    case 'n': max_events = strtoull(optarg, 0, 10); break;
    case 'm': max_bytes = (uint64_t)(atof(optarg) * 1048576.0); break;
    case 's': snaplen = (unsigned)strtoul(optarg, 0, 10); break;
    case 'a': all = 1; break;
    case 'g': generic = 1; break;
    case 'c': conv_container_meta(optarg); break;
    case 'r': ring_mb = (unsigned)strtoul(optarg, 0, 10); break;
    case 'v': verbose = 1; break;
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 2;
    }
  }
  char **cmd = argv + optind;
  int ncmd = argc - optind;
  if (!out || (all && ncmd > 0) || (!all && ncmd == 0)) {
    usage(stderr);
    return 2;
  }
  if (snaplen > REC_SNAP_MAX) snaplen = REC_SNAP_MAX;
  if (ring_mb < 1) ring_mb = 1;
  if (geteuid() != 0) {
    fprintf(stderr, "peregrine-recorder: recording needs root (CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)\n");
    return 2;
  }
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    fprintf(stderr, "peregrine-recorder: this kernel has no BTF (/sys/kernel/btf/vmlinux); recording unavailable\n");
    return 2;
  }
  if (!verbose) libbpf_set_print(0);
  if (thr_init() < 0) return 2;
  struct scapw w;
  if (scapw_open(&w, out) < 0) {
    fprintf(stderr, "peregrine-recorder: cannot write %s: %s\n", out, strerror(errno));
    return 2;
  }

  /* command mode: fork now, hold the child until the programs are attached */
  int sync[2] = {-1, -1};
  pid_t child = -1;
  if (!all) {
    if (pipe2(sync, O_CLOEXEC) < 0) return 2;
    child = fork();
    if (child < 0) return 2;
    if (child == 0) {
      char c;
      close(sync[1]);
      /* EOF here means the recorder failed or died before attaching: do not run unrecorded */
      if (read(sync[0], &c, 1) != 1) _exit(127);
      close(sync[0]);
      signal(SIGINT, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
      execvp(cmd[0], cmd);
      fprintf(stderr, "peregrine-recorder: cannot run %s: %s\n", cmd[0], strerror(errno));
      _exit(127);
    }
    close(sync[0]);
  }

  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, 0);
  sigaction(SIGTERM, &sa, 0);
  sigaction(SIGHUP, &sa, 0);

  struct recorder_bpf *skel = recorder_bpf__open();
  if (!skel) {
    fprintf(stderr, "peregrine-recorder: cannot open the BPF object\n");
    goto fail_env;
  }
  skel->rodata->self_tgid = (uint32_t)getpid();
  skel->rodata->trace_all = (uint32_t)all;
  skel->rodata->snaplen = snaplen;
  bpf_map__set_max_entries(skel->maps.rb, ring_mb << 20);
  for (uint32_t nr = 0; nr < REC_NR_MAX; nr++)
    if (conv_wanted(nr, generic)) skel->rodata->want_bits[nr / 64] |= 1ull << (nr % 64);
  /* --verbose: the verifier's statistics per program (instructions processed, verification time) */
  static char vlog[5][4096];
  if (verbose) {
    struct bpf_program *prog;
    int k = 0;
    bpf_object__for_each_program(prog, skel->obj) {
      if (k >= 5) break;
      bpf_program__set_log_level(prog, 4);
      bpf_program__set_log_buf(prog, vlog[k++], sizeof(vlog[0]));
    }
  }
  int err = recorder_bpf__load(skel);
  if (verbose) {
    struct bpf_program *prog;
    int k = 0;
    bpf_object__for_each_program(prog, skel->obj) {
      if (k >= 5) break;
      fprintf(stderr, "peregrine-recorder: %s: %s", bpf_program__name(prog), vlog[k++]);
    }
  }
  if (err) {
    fprintf(stderr, "peregrine-recorder: loading the BPF programs failed (%s); rerun with --verbose\n", strerror(-err));
    goto fail_env;
  }
  if (!all) {
    uint32_t k = (uint32_t)child;
    uint8_t one = 1;
    bpf_map_update_elem(bpf_map__fd(skel->maps.traced), &k, &one, BPF_ANY);
  }
  struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_record, 0, 0);
  if (!rb) {
    fprintf(stderr, "peregrine-recorder: cannot create the ring buffer reader\n");
    goto fail_env;
  }
  err = recorder_bpf__attach(skel);
  if (err) {
    fprintf(stderr, "peregrine-recorder: attaching the raw tracepoints failed (%s)\n", strerror(-err));
    goto fail_env;
  }

  uint64_t boot_to_epoch = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_BOOTTIME);
  scapw_shb(&w);
  write_mi(&w, boot_to_epoch);
  write_il(&w);
  write_ul(&w);
  /* snapshot after attach so nothing falls in between (events during it are merged by time) */
  uint32_t pids[64];
  int npids = 0;
  if (!all) {
    pids[npids++] = (uint32_t)child;
    /* the recorder and the process that started it: enough for proc.pname of the command */
    uint32_t p = (uint32_t)getpid();
    while (p > 0 && npids < 3) {
      pids[npids++] = p;
      char path[64], st[1024];
      snprintf(path, sizeof(path), "/proc/%u/stat", p);
      if (read_file(path, st, sizeof(st)) <= 0) break;
      char *rp = strrchr(st, ')');
      int pp = 0;
      if (!rp || sscanf(rp + 2, "%*c %d", &pp) != 1) break;
      p = (uint32_t)pp;
    }
  }
  int nthr = write_proc_snapshot(&w, all, pids, npids, (uint32_t)getpid(), !all);
  /* records carry CLOCK_MONOTONIC times (see the BPF side); the offset to boot time changes only across a
   * suspend, so it is re-read every round and taken when it moved by more than 1 ms (reading two clocks
   * jitters by nanoseconds, which must not reorder events) */
  uint64_t m2b = mono_to_boot();
  struct conv cv = {.w = &w, .boot_to_epoch = boot_to_epoch, .mono_to_epoch = m2b + boot_to_epoch, .generic = generic};
  conv_snapshot_containers(&cv, now_ns(CLOCK_BOOTTIME) + boot_to_epoch);
  uint64_t t0 = now_ns(CLOCK_MONOTONIC);
  if (!all) {
    char go = 1;
    if (write(sync[1], &go, 1) != 1) {
      fprintf(stderr, "peregrine-recorder: the command did not start\n");
    }
    close(sync[1]);
  }
  fprintf(stderr, "peregrine-recorder: recording to %s (%d threads in the snapshot)\n", out, nthr);

  int stats_fd = bpf_map__fd(skel->maps.stats);
  int ncpu = libbpf_num_possible_cpus();
  uint64_t drops_seen = 0, written_events = 0;
  int child_status = -1, stop_reason = 0; /* 1 signal, 2 duration, 3 max events, 4 max size, 5 command exited */
  int final_round = 0;
  for (;;) {
    /* Timer-driven draining: the ring's poll readiness is level-triggered (ready whenever any data is
     * queued), so epoll would spin under load and steal a core from the traced workload. Sleeping 10 ms
     * unless the last drain was large keeps wake-ups rare; the BPF side never forces one. */
    uint64_t mark = now_ns(CLOCK_MONOTONIC);
    int got = ring_buffer__consume(rb);
    if (got >= 0 && got < 8192 && !stop_sig) {
      struct timespec nap = {0, 10 * 1000 * 1000};
      nanosleep(&nap, 0);
      mark = now_ns(CLOCK_MONOTONIC);
      ring_buffer__consume(rb);
    }
    if (stop_sig && !stop_reason) stop_reason = 1;
    if (duration > 0 && (double)(mark - t0) / 1e9 >= duration && !stop_reason) stop_reason = 2;
    if (!all && child_status == -1) {
      int st;
      if (waitpid(child, &st, WNOHANG) == child) {
        child_status = st;
        if (!stop_reason) stop_reason = 5;
      }
    }
    if (stop_reason && !final_round) {
      /* detach first, then drain what is already in the ring */
      recorder_bpf__detach(skel);
      ring_buffer__consume(rb);
      final_round = 1;
      mark = UINT64_MAX;
    }
    uint64_t m2b_now = mono_to_boot();
    if (m2b_now > m2b + 1000000ull || m2b_now + 1000000ull < m2b) {
      m2b = m2b_now; /* resumed from a suspend */
      cv.mono_to_epoch = m2b + boot_to_epoch;
    }
    uint64_t drops = sum_stat(stats_fd, ST_DROPS, ncpu);
    uint64_t wm = mark == UINT64_MAX ? UINT64_MAX : mark - 20000000ull; /* 20 ms reorder window */
    if (npend > phead) {
      size_t i = phead;
      parents_first(wm);
      for (; i < npend && pend[i].ts <= wm; i++) {
        if (!(max_events && written_events >= max_events) && !(max_bytes && w.bytes >= max_bytes)) {
          uint8_t *d = arena.p + pend[i].off;
          struct rec *r = (struct rec *)d;
          written_events += (uint64_t)conv_record(&cv, r, d + sizeof(*r), pend[i].len - (uint32_t)sizeof(*r));
        }
      }
      phead = i;
    }
    if (phead == npend) {
      phead = npend = 0;
      arena.n = 0;
    } else if ((phead > 4096 && phead * 2 > npend) || arena.n > (8u << 20)) {
      memmove(pend, pend + phead, (npend - phead) * sizeof(*pend));
      npend -= phead;
      phead = 0;
    }
    if (arena.n > (8u << 20)) {
      /* keep only the live records' bytes once the arena is large */
      size_t live = 0;
      for (size_t k = 0; k < npend; k++) live += (pend[k].len + 7) & ~(size_t)7;
      if (live * 2 < arena.n) {
        spare.n = 0;
        for (size_t k = 0; k < npend; k++) {
          size_t l = (pend[k].len + 7) & ~(size_t)7;
          buf_reserve(&spare, l);
          memcpy(spare.p + spare.n, arena.p + pend[k].off, pend[k].len);
          pend[k].off = spare.n;
          spare.n += l;
        }
        struct buf t = arena;
        arena = spare;
        spare = t;
      }
    }
    /* the gap goes after the records written this round (at the watermark, not at `mark`: a later time
     * would push every record still in the window forward to it) */
    if (drops > drops_seen) {
      conv_drop(&cv, wm == UINT64_MAX ? now_ns(CLOCK_MONOTONIC) : wm, drops - drops_seen);
      drops_seen = drops;
    }
    if (max_events && written_events >= max_events && !stop_reason) stop_reason = 3;
    if (max_bytes && w.bytes >= max_bytes && !stop_reason) stop_reason = 4;
    if (final_round) break;
    if (scapw_error(&w)) break;
  }
  if (written_events == 0) {
    /* sysdig rejects a file without events: mark the (empty) recording with a zero-length drop pair */
    conv_drop(&cv, now_ns(CLOCK_MONOTONIC), 0);
  }
  int werr = scapw_error(&w);
  uint64_t emitted = sum_stat(stats_fd, ST_EMITTED, ncpu);
  uint64_t rfail = sum_stat(stats_fd, ST_READ_FAIL, ncpu), ifail = sum_stat(stats_fd, ST_INFLIGHT_FAIL, ncpu);
  uint64_t bytes = w.bytes, nev = w.nevents;
  int bad = w.bad_layout;
  if (scapw_close(&w) < 0) werr = 1;
  ring_buffer__free(rb);
  recorder_bpf__destroy(skel);
  static const char *reasons[] = {"", "signal", "duration", "max-events", "max-size", "command-exited"};
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru); /* the recorder's own CPU (not the command's) */
  double cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
  fprintf(stderr,
          "{\"file\":\"%s\",\"events\":%llu,\"bytes\":%llu,\"records\":%llu,\"emitted\":%llu,\"drops\":%llu,"
          "\"read_failures\":%llu,\"inflight_failures\":%llu,\"clamped_ts\":%llu,\"bad_layouts\":%d,"
          "\"stop\":\"%s\",\"command_status\":%d,\"cpu_s\":%.3f}\n",
          out, (unsigned long long)nev, (unsigned long long)bytes, (unsigned long long)received,
          (unsigned long long)emitted, (unsigned long long)drops_seen, (unsigned long long)rfail,
          (unsigned long long)ifail, (unsigned long long)cv.clamped, bad, reasons[stop_reason],
          child_status == -1 ? -1 : (WIFEXITED(child_status) ? WEXITSTATUS(child_status) : 128 + WTERMSIG(child_status)),
          cpu_s);
  if (!all && child_status == -1)
    fprintf(stderr, "peregrine-recorder: recording stopped (%s); the command is still running as pid %d\n",
            reasons[stop_reason], (int)child);
  if (werr) {
    fprintf(stderr, "peregrine-recorder: writing %s failed\n", out);
    return 3;
  }
  return 0;
fail_env:
  fclose(w.f);
  unlink(out);
  if (child > 0) {
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
  }
  return 2;
}

/* The recorder's own view of every thread it knows: filled from /proc at start and kept up to date from
 * the recorded clone/exec/chdir/setuid/exit records. Clone and execve exit events need the emitting
 * thread's exe, args, cwd, env and cgroups, which the BPF side does not read per event. */
#ifndef THREAD_TABLE_H
#define THREAD_TABLE_H
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

struct lstr {
  char *p;
  size_t n;
};

struct thr {
  uint32_t tid, pid, ptid, sid, pgid, vtid, vpid;
  uint32_t uid, gid, loginuid, tty, flags;
  uint64_t fdlimit, cgroup_id;
  uint32_t vmsize, vmrss, vmswap;
  uint64_t pgft_maj, pgft_min;
  int kthread;
  char comm[17];
  struct lstr exe, exepath, args, cwd, env, cgroups, root;
};

int thr_init(void);
struct thr *thr_get(uint32_t tid);
/* creates (or resets) the entry for tid, copying `from` when given */
struct thr *thr_put(uint32_t tid, const struct thr *from);
void thr_del(uint32_t tid);
/* fills t from /proc/<pid>/task/<tid>; returns 0 on success, -1 if the thread is gone */
int thr_load_proc(struct thr *t, uint32_t pid, uint32_t tid);
/* finds tid, or loads it from /proc, or creates a bare entry */
struct thr *thr_find_or_load(uint32_t tid, uint32_t pid);

void lstr_set(struct lstr *s, const void *p, size_t n);
void lstr_setz(struct lstr *s, const char *p);
/* reads a whole small file; returns bytes read or -1 */
ssize_t read_file(const char *path, char *out, size_t cap);
/* cgroups of pid as "subsys=path\0..." from /proc/<pid>/cgroup */
int proc_cgroups(uint32_t pid, struct lstr *out);
/* replaces the cgroup v2 entry with the path of cgroup id `cgid` (kernfs inode) */
void cgroups_with_v2_id(struct lstr *cg, uint64_t cgid);
#endif

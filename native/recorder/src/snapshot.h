/* Metadata blocks written before the first event: MI, UL V2, IL V2, PL V9 (from /proc) and FDL V2. */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H
#include <stdint.h>
#include "scap-writer.h"

void write_mi(struct scapw *w, uint64_t boot_epoch_ns);
void write_ul(struct scapw *w);
void write_il(struct scapw *w);
/* all != 0: every process; otherwise the processes in pids[] (and their threads).
 * blank_env: leave out environments (command mode: the recorder's own ancestors are not what is being
 * recorded, and their environment is not the user's to publish). Loads the thread table as a side effect. Returns the number of threads written. */
int write_proc_snapshot(struct scapw *w, int all, const uint32_t *pids, int npids, uint32_t skip_fds_of, int blank_env);
/* tids loaded by the last snapshot */
int snapshot_tids(const uint32_t **out);
/* PPM open flags from kernel O_* flags */
uint32_t open_flags_to_ppm(uint32_t f);
/* kernel dev_t (major<<20|minor) -> the userspace encoding drivers write */
uint32_t encode_dev(uint32_t kdev);
#endif

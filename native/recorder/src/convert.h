/* Turns BPF records into .scap events: an enter event immediately followed by its exit on the same tid,
 * in the 2022 (sysdig 0.29.3) layouts; events only current libs know use the current layout. */
#ifndef CONVERT_H
#define CONVERT_H
#include <stdint.h>
#include "scap-writer.h"
#include "../src/recorder.h"

struct conv {
  struct scapw *w;
  uint64_t boot_to_epoch; /* add to CLOCK_BOOTTIME ns to get epoch ns */
  uint64_t mono_to_epoch; /* add to a record's CLOCK_MONOTONIC ns: monotonic-to-boot offset + boot_to_epoch */
  int generic;            /* emit syscalls without a dedicated event as the generic syscall event */
  uint64_t clamped;       /* timestamps moved forward to keep the file non-decreasing */
};

/* emits the events of one record; returns the number of events written */
int conv_record(struct conv *c, const struct rec *r, const uint8_t *data, uint32_t datalen);
/* a gap: `lost` records were dropped in the kernel before ts (monotonic ns, as the records') */
void conv_drop(struct conv *c, uint64_t ts_mono, uint64_t lost);
/* CONTAINER_JSON_2_E for container ids found in cgroups, once per id */
void conv_containers(struct conv *c, uint64_t ts_epoch, const char *cgroups, size_t n);
void conv_container_meta(const char *spec); /* "ID,NAME,IMAGE" from the command line */
/* syscalls with a dedicated event (the BPF `want` set) */
int conv_wanted(long nr, int generic);
/* CONTAINER_JSON_2_E for the containers of the threads in the /proc snapshot */
void conv_snapshot_containers(struct conv *c, uint64_t ts_epoch);
#endif

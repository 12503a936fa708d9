/* .scap writer: block framing, section header, and an event builder for EV_V2 / EV_V2_LARGE blocks. */
#ifndef SCAP_WRITER_H
#define SCAP_WRITER_H
#include <stdint.h>
#include <stdio.h>
#include "buf.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_MI 0x201u
#define BT_PL_V9 0x215u
#define BT_FDL_V2 0x218u
#define BT_EV_V2 0x216u
#define BT_EV_V2_LARGE 0x221u
#define BT_IL_V2 0x219u
#define BT_UL_V2 0x220u

#define EV_MAXPARAMS 40
#define EV_MAXBYTES 65000

struct scapw {
  FILE *f;
  uint64_t bytes;   /* bytes written so far */
  uint64_t nevents; /* event blocks written */
  uint64_t last_ts;
  int bad_layout;   /* count of events whose param count differs from the table (a bug) */
  /* event under construction */
  uint64_t ts, tid;
  uint16_t cpu, type;
  int np;
  uint32_t lens[EV_MAXPARAMS];
  struct buf params;
  struct buf out; /* blocks not yet handed to stdio */
  int werr;       /* a write failed */
};

int scapw_open(struct scapw *w, const char *path);
int scapw_close(struct scapw *w);
void scapw_flush(struct scapw *w);
/* a write failed (now or earlier) */
static inline int scapw_error(struct scapw *w) { return w->werr || ferror(w->f); }
void scapw_block(struct scapw *w, uint32_t type, const void *body, size_t n);
void scapw_shb(struct scapw *w);

void ev_begin(struct scapw *w, uint64_t ts, uint64_t tid, uint16_t cpu, uint16_t type);
void ev_raw(struct scapw *w, const void *p, size_t n);
void ev_u8(struct scapw *w, uint8_t v);
void ev_u16(struct scapw *w, uint16_t v);
void ev_u32(struct scapw *w, uint32_t v);
void ev_u64(struct scapw *w, uint64_t v);
/* string + trailing NUL (counted in the length); n bytes of s, NULs inside are kept */
void ev_strn(struct scapw *w, const char *s, size_t n);
void ev_str(struct scapw *w, const char *s);
void ev_empty(struct scapw *w);
void ev_end(struct scapw *w);
#endif

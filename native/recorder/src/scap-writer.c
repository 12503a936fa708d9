#include "scap-writer.h"
#include <string.h>
#include <unistd.h>
#include "ppm-events.gen.h"

/* Blocks are assembled in w->out and handed to stdio in large pieces: one fwrite per block cost more
 * than building the event (stdio locks and copies on every call). */
#define OUT_FLUSH (1u << 20)

int scapw_open(struct scapw *w, const char *path) {
  memset(w, 0, sizeof(*w));
  w->f = fopen(path, "wb");
  if (!w->f) return -1;
  setvbuf(w->f, 0, _IONBF, 0);
  buf_reserve(&w->out, OUT_FLUSH + 65536);
  return 0;
}

void scapw_flush(struct scapw *w) {
  if (w->out.n && fwrite(w->out.p, 1, w->out.n, w->f) != w->out.n) w->werr = 1;
  w->out.n = 0;
}

int scapw_close(struct scapw *w) {
  int rc = 0;
  scapw_flush(w);
  if (w->werr || fflush(w->f) != 0) rc = -1;
  if (fsync(fileno(w->f)) != 0 && rc == 0) rc = 0; /* fsync may fail on pipes; not an error */
  if (fclose(w->f) != 0) rc = -1;
  buf_free(&w->params);
  buf_free(&w->out);
  return rc;
}

/* total = 8 + body padded to 4 + 4; the trailer repeats the total. Returns where the body goes. */
static uint8_t *block_open(struct scapw *w, uint32_t type, size_t n) {
  size_t pad = (4 - n % 4) % 4;
  uint32_t total = (uint32_t)(8 + n + pad + 4);
  buf_reserve(&w->out, total);
  uint8_t *p = w->out.p + w->out.n;
  memcpy(p, &type, 4);
  memcpy(p + 4, &total, 4);
  memset(p + 8 + n, 0, pad);
  memcpy(p + 8 + n + pad, &total, 4);
  w->out.n += total;
  w->bytes += total;
  return p + 8;
}

static void block_close(struct scapw *w) {
  if (w->out.n >= OUT_FLUSH) scapw_flush(w);
}

void scapw_block(struct scapw *w, uint32_t type, const void *body, size_t n) {
  uint8_t *p = block_open(w, type, n);
  if (n) memcpy(p, body, n);
  block_close(w);
}

void scapw_shb(struct scapw *w) {
  struct buf b = {0};
  buf_u32(&b, 0x1A2B3C4Du);
  buf_u16(&b, 1);
  buf_u16(&b, 2);
  buf_u64(&b, (uint64_t)-1);
  scapw_block(w, BT_SHB, b.p, b.n); /* 8 + 16 + 4 = 28 bytes exactly, as 0.29.3 requires */
  buf_free(&b);
}

void ev_begin(struct scapw *w, uint64_t ts, uint64_t tid, uint16_t cpu, uint16_t type) {
  w->ts = ts;
  w->tid = tid;
  w->cpu = cpu;
  w->type = type;
  w->np = 0;
  w->params.n = 0;
}

static void ev_param(struct scapw *w, const void *p, size_t n) {
  if (w->np >= EV_MAXPARAMS) return;
  if (w->params.n + n > EV_MAXBYTES) n = w->params.n < EV_MAXBYTES ? EV_MAXBYTES - w->params.n : 0;
  if (!ppme_large[w->type % PPM_EVENT_COUNT] && n > 65535) n = 65535;
  w->lens[w->np++] = (uint32_t)n;
  buf_put(&w->params, p, n);
}

void ev_raw(struct scapw *w, const void *p, size_t n) { ev_param(w, p, n); }
void ev_u8(struct scapw *w, uint8_t v) { ev_param(w, &v, 1); }
void ev_u16(struct scapw *w, uint16_t v) { ev_param(w, &v, 2); }
void ev_u32(struct scapw *w, uint32_t v) { ev_param(w, &v, 4); }
void ev_u64(struct scapw *w, uint64_t v) { ev_param(w, &v, 8); }
void ev_empty(struct scapw *w) { ev_param(w, "", 0); }

void ev_strn(struct scapw *w, const char *s, size_t n) {
  if (w->np >= EV_MAXPARAMS) return;
  if (n > 4095) n = 4095; /* 0.29.3 path/charbuf buffers are bounded; a driver truncates too */
  buf_reserve(&w->params, n + 1);
  memcpy(w->params.p + w->params.n, s, n);
  w->params.p[w->params.n + n] = 0;
  w->params.n += n + 1;
  w->lens[w->np++] = (uint32_t)(n + 1);
}

void ev_str(struct scapw *w, const char *s) { ev_strn(w, s ? s : "", s ? strlen(s) : 0); }

static inline uint8_t *put(uint8_t *p, const void *v, size_t n) {
  memcpy(p, v, n);
  return p + n;
}

void ev_end(struct scapw *w) {
  int large = ppme_large[w->type % PPM_EVENT_COUNT];
  if (w->type >= PPM_EVENT_COUNT || ppme_nparams[w->type] != w->np) w->bad_layout++;
  size_t lw = large ? 4 : 2;
  uint32_t evlen = (uint32_t)(26 + lw * w->np + w->params.n);
  uint32_t np = (uint32_t)w->np;
  /* the block body is the cpu id (2 bytes) followed by the event (evlen bytes) */
  uint8_t *p = block_open(w, large ? BT_EV_V2_LARGE : BT_EV_V2, (size_t)evlen + 2);
  p = put(p, &w->cpu, 2);
  p = put(p, &w->ts, 8);
  p = put(p, &w->tid, 8);
  p = put(p, &evlen, 4);
  p = put(p, &w->type, 2);
  p = put(p, &np, 4);
  for (int i = 0; i < w->np; i++) {
    if (large) {
      p = put(p, &w->lens[i], 4);
    } else {
      uint16_t l = (uint16_t)w->lens[i];
      p = put(p, &l, 2);
    }
  }
  if (w->params.n) memcpy(p, w->params.p, w->params.n);
  block_close(w);
  w->nevents++;
  w->last_ts = w->ts;
}

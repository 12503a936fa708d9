#include "scap-writer.h"
#include <string.h>
#include <unistd.h>
#include "ppm-events.gen.h"

int scapw_open(struct scapw *w, const char *path) {
  memset(w, 0, sizeof(*w));
  w->f = fopen(path, "wb");
  if (!w->f) return -1;
  static char iobuf[1 << 20];
  setvbuf(w->f, iobuf, _IOFBF, sizeof(iobuf));
  return 0;
}

int scapw_close(struct scapw *w) {
  int rc = 0;
  if (fflush(w->f) != 0) rc = -1;
  if (fsync(fileno(w->f)) != 0 && rc == 0) rc = 0; /* fsync may fail on pipes; not an error */
  if (fclose(w->f) != 0) rc = -1;
  buf_free(&w->params);
  buf_free(&w->blk);
  return rc;
}

/* total = 8 + body padded to 4 + 4; the trailer repeats the total */
void scapw_block(struct scapw *w, uint32_t type, const void *body, size_t n) {
  static const uint8_t zero[4];
  size_t pad = (4 - n % 4) % 4;
  uint32_t total = (uint32_t)(8 + n + pad + 4);
  fwrite(&type, 4, 1, w->f);
  fwrite(&total, 4, 1, w->f);
  fwrite(body, 1, n, w->f);
  fwrite(zero, 1, pad, w->f);
  fwrite(&total, 4, 1, w->f);
  w->bytes += total;
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

void ev_end(struct scapw *w) {
  int large = ppme_large[w->type % PPM_EVENT_COUNT];
  if (w->type >= PPM_EVENT_COUNT || ppme_nparams[w->type] != w->np) w->bad_layout++;
  size_t lw = large ? 4 : 2;
  uint32_t evlen = (uint32_t)(26 + lw * w->np + w->params.n);
  struct buf *b = &w->blk;
  b->n = 0;
  buf_u16(b, w->cpu);
  buf_u64(b, w->ts);
  buf_u64(b, w->tid);
  buf_u32(b, evlen);
  buf_u16(b, w->type);
  buf_u32(b, (uint32_t)w->np);
  for (int i = 0; i < w->np; i++) {
    if (large)
      buf_u32(b, w->lens[i]);
    else
      buf_u16(b, (uint16_t)w->lens[i]);
  }
  buf_put(b, w->params.p, w->params.n);
  scapw_block(w, large ? BT_EV_V2_LARGE : BT_EV_V2, b->p, b->n);
  w->nevents++;
  w->last_ts = w->ts;
}

/* Growable byte buffer with little-endian put helpers (every .scap integer is little-endian). */
#ifndef BUF_H
#define BUF_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct buf {
  uint8_t *p;
  size_t n, cap;
};

static inline void buf_reserve(struct buf *b, size_t more) {
  if (b->n + more <= b->cap) return;
  size_t c = b->cap ? b->cap : 256;
  while (c < b->n + more) c *= 2;
  uint8_t *np = realloc(b->p, c);
  if (!np) abort();
  b->p = np;
  b->cap = c;
}
static inline void buf_put(struct buf *b, const void *d, size_t n) {
  buf_reserve(b, n);
  if (n) memcpy(b->p + b->n, d, n);
  b->n += n;
}
static inline void buf_u8(struct buf *b, uint8_t v) { buf_put(b, &v, 1); }
static inline void buf_u16(struct buf *b, uint16_t v) { buf_put(b, &v, 2); }
static inline void buf_u32(struct buf *b, uint32_t v) { buf_put(b, &v, 4); }
static inline void buf_u64(struct buf *b, uint64_t v) { buf_put(b, &v, 8); }
/* u16 length + bytes, no NUL (metadata blocks); clamps to `limit` bytes */
static inline void buf_s16(struct buf *b, const void *s, size_t n, size_t limit) {
  if (n > limit) n = limit;
  buf_u16(b, (uint16_t)n);
  buf_put(b, s, n);
}
static inline void buf_cs16(struct buf *b, const char *s, size_t limit) { buf_s16(b, s ? s : "", s ? strlen(s) : 0, limit); }
static inline void buf_patch_u32(struct buf *b, size_t at, uint32_t v) { memcpy(b->p + at, &v, 4); }
static inline void buf_free(struct buf *b) {
  free(b->p);
  b->p = 0;
  b->n = b->cap = 0;
}
#endif

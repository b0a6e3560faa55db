/*
 * libnfs-bench: the libnfs side of bench/run.ts's in-process workloads, written against the
 * public libnfs API (libnfs.h, libnfs-raw.h; Debian's libnfs-dev). One JSON line on stdout.
 *
 *   libnfs-bench info  URL                     {"readmax":N,"writemax":N}  (the negotiated sizes)
 *   libnfs-bench null  URL CALLS INFLIGHT      {"callsPerSec":N}  NFSv3 NULL, INFLIGHT outstanding
 *   libnfs-bench small URL DIR COUNT SIZE      {"createPerSec":N,"readPerSec":N}  serial sync API:
 *                                              creat+write+close, then open+read+close, checked
 *
 * The library rows, on the async API (nfs_*_async and one poll loop, as an application would),
 * each after an untimed warm-up doing the same on its first WARM_BYTES (or another listing):
 *   libnfs-bench read URL PATH copy|nocopy [out]   {"seconds":S,"bytes":N}  PATH read to its end,
 *                                              INFLIGHT preads of readmax outstanding; "copy" copies
 *                                              each reply into a reused 1 MiB buffer (as nfs_pread
 *                                              does), "nocopy" only looks at it; "out": one pread at a
 *                                              time, the data written to stdout (for checking)
 *   libnfs-bench write URL PATH SIZE           {"seconds":S,"bytes":N}  SIZE bytes of the bench's
 *                                              pattern (pattern_byte) by INFLIGHT pwrites of writemax
 *                                              outstanding, then fsync and close
 *   libnfs-bench readdir URL DIR WARMDIR       {"seconds":S,"entries":N,"files":N}  opendir (the
 *                                              whole directory, READDIRPLUS) and every entry read;
 *                                              the warm-up lists WARMDIR, another directory, so
 *                                              that libnfs's directory cache cannot answer DIR
 *
 * URL is an export URL with nfsport/mountport (nfs://127.0.0.1/export?nfsport=..&mountport=..).
 * Timing starts after the mount (and, for null, after a warm-up), as the sonfs side's does.
 * Exit status 1 with a message on stderr on any failure.
 */
#define _DEFAULT_SOURCE /* caddr_t, struct timeval: what libnfs's headers use */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <nfsc/libnfs.h>
#include <nfsc/libnfs-raw.h>
#include <nfsc/libnfs-raw-nfs.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(struct nfs_context *nfs, const char *what) {
  fprintf(stderr, "libnfs-bench: %s: %s\n", what, nfs ? nfs_get_error(nfs) : "failed");
  exit(1);
}

static struct nfs_context *mount_url(const char *url) {
  struct nfs_context *nfs = nfs_init_context();
  if (nfs == NULL) fail(NULL, "nfs_init_context");
  struct nfs_url *u = nfs_parse_url_dir(nfs, url);
  if (u == NULL) fail(nfs, "parse url");
  if (nfs_mount(nfs, u->server, u->path) != 0) fail(nfs, "mount");
  nfs_destroy_url(u);
  return nfs;
}

/* ---- null: keep `inflight` NULL calls outstanding until `total` have been answered ---- */

struct null_state {
  struct rpc_context *rpc;
  long issued, answered, total;
  int failed;
};

static void null_cb(struct rpc_context *rpc, int status, void *data, void *priv);

static void null_issue(struct null_state *s) {
  if (s->issued >= s->total) return;
  s->issued++;
  if (rpc_nfs3_null_async(s->rpc, null_cb, s) != 0) s->failed = 1;
}

static void null_cb(struct rpc_context *rpc, int status, void *data, void *priv) {
  struct null_state *s = priv;
  (void)rpc;
  (void)data;
  if (status != RPC_STATUS_SUCCESS) s->failed = 1;
  s->answered++;
  null_issue(s);
}

static void null_run(struct nfs_context *nfs, long total, int inflight) {
  struct null_state s = { nfs_get_rpc_context(nfs), 0, 0, total, 0 };
  for (int i = 0; i < inflight; i++) null_issue(&s);
  while (s.answered < total && !s.failed) {
    struct pollfd pfd = { nfs_get_fd(nfs), (short)nfs_which_events(nfs), 0 };
    if (poll(&pfd, 1, 1000) < 0) fail(NULL, "poll");
    if (nfs_service(nfs, pfd.revents) < 0) fail(nfs, "nfs_service");
  }
  if (s.failed) fail(nfs, "NULL call");
}

/* ---- the library rows: one poll loop serving every outstanding call ---- */

#define INFLIGHT 4
#define BUF_BYTES (1 << 20)
#define PATTERN_BYTES (4 << 20)
/* The untimed warm-up of every library row (bench/workloads/library-child.ts does the same). */
#define WARM_BYTES (128ull << 20)

struct io {
  struct nfs_context *nfs;
  struct nfsfh *fh;
  uint64_t size, next, done, chunk;
  int outstanding, inflight, failed, copy, out;
  unsigned char *buf;
  const unsigned char *pattern;
};

struct ioreq {
  struct io *s;
  uint64_t off;
};

/* One turn of the event loop: wait for the context's socket, let libnfs run the callbacks. */
static void serve_once(struct nfs_context *nfs) {
  struct pollfd pfd = { nfs_get_fd(nfs), (short)nfs_which_events(nfs), 0 };
  if (poll(&pfd, 1, 1000) < 0) fail(NULL, "poll");
  if (nfs_service(nfs, pfd.revents) < 0) fail(nfs, "nfs_service");
}

static void read_issue(struct io *s);

static void read_cb(int err, struct nfs_context *nfs, void *data, void *priv) {
  struct ioreq *q = priv;
  struct io *s = q->s;
  (void)nfs;
  s->outstanding--;
  if (err < 0) {
    fprintf(stderr, "libnfs-bench: pread at %" PRIu64 ": %s\n", q->off, (const char *)data);
    s->failed = 1;
  } else if (err == 0 && s->done < s->size) {
    fprintf(stderr, "libnfs-bench: pread at %" PRIu64 ": 0 bytes before the end\n", q->off);
    s->failed = 1;
  } else {
    if (s->out) {
      if (fwrite(data, 1, (size_t)err, stdout) != (size_t)err) s->failed = 1;
    } else if (s->copy) {
      memcpy(s->buf, data, (size_t)err);
    } else {
      s->buf[0] ^= ((const unsigned char *)data)[0];
    }
    s->done += (uint64_t)err;
    if ((uint64_t)err < s->chunk && q->off + (uint64_t)err < s->size) {
      /* a short read: ask for the rest */
      q->off += (uint64_t)err;
      s->outstanding++;
      if (nfs_pread_async(s->nfs, s->fh, q->off, s->chunk - (uint64_t)err, read_cb, q) != 0) s->failed = 1;
      return;
    }
  }
  free(q);
  read_issue(s);
}

static void read_issue(struct io *s) {
  while (!s->failed && s->outstanding < s->inflight && s->next < s->size) {
    struct ioreq *q = malloc(sizeof *q);
    if (q == NULL) fail(NULL, "malloc");
    q->s = s;
    q->off = s->next;
    uint64_t n = s->size - s->next < s->chunk ? s->size - s->next : s->chunk;
    s->next += n;
    s->outstanding++;
    if (nfs_pread_async(s->nfs, s->fh, q->off, n, read_cb, q) != 0) fail(s->nfs, "pread_async");
  }
}

static void write_issue(struct io *s);

static void write_cb(int err, struct nfs_context *nfs, void *data, void *priv) {
  struct ioreq *q = priv;
  struct io *s = q->s;
  (void)nfs;
  s->outstanding--;
  if (err <= 0) {
    fprintf(stderr, "libnfs-bench: pwrite at %" PRIu64 ": %s\n", q->off, err < 0 ? (const char *)data : "0 bytes");
    s->failed = 1;
  } else {
    s->done += (uint64_t)err;
  }
  free(q);
  write_issue(s);
}

static void write_issue(struct io *s) {
  while (!s->failed && s->outstanding < s->inflight && s->next < s->size) {
    struct ioreq *q = malloc(sizeof *q);
    if (q == NULL) fail(NULL, "malloc");
    q->s = s;
    q->off = s->next;
    uint64_t n = s->size - s->next < s->chunk ? s->size - s->next : s->chunk;
    s->next += n;
    s->outstanding++;
    if (nfs_pwrite_async(s->nfs, s->fh, q->off, n, s->pattern + (q->off % PATTERN_BYTES), write_cb, q) != 0) fail(s->nfs, "pwrite_async");
  }
}

/* The bench's pattern: byte i of a written file is pattern_byte(i mod PATTERN_BYTES) (bench/lib/data.ts patternBlock). */
static unsigned char pattern_byte(uint32_t i) {
  return (unsigned char)((i * 2654435761u) >> 24);
}

struct dirstate {
  struct nfsdir *dir;
  int done, failed;
};

static void opendir_cb(int err, struct nfs_context *nfs, void *data, void *priv) {
  struct dirstate *d = priv;
  (void)nfs;
  if (err < 0) {
    fprintf(stderr, "libnfs-bench: opendir: %s\n", (const char *)data);
    d->failed = 1;
  } else {
    d->dir = data;
  }
  d->done = 1;
}

/* ---- small: the same deterministic content as bench/workloads/small-files.ts ---- */

static void fill(unsigned char *b, int size, long index) {
  for (int j = 0; j < size; j++) b[j] = (unsigned char)((index * 31 + j * 7) & 0xff);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: libnfs-bench info|null|small|read|write|readdir URL ...\n");
    return 2;
  }
  const char *mode = argv[1];
  struct nfs_context *nfs = mount_url(argv[2]);
  if (strcmp(mode, "info") == 0) {
    printf("{\"readmax\":%" PRIu64 ",\"writemax\":%" PRIu64 "}\n", nfs_get_readmax(nfs), nfs_get_writemax(nfs));
  } else if (strcmp(mode, "null") == 0 && argc == 5) {
    long total = atol(argv[3]);
    int inflight = atoi(argv[4]);
    if (total <= 0 || inflight <= 0) fail(NULL, "CALLS and INFLIGHT must be positive");
    long warm = total / 10 < 1000 ? total / 10 : 1000;
    if (warm > 0) null_run(nfs, warm, inflight);
    double t0 = now();
    null_run(nfs, total, inflight);
    printf("{\"callsPerSec\":%.1f}\n", (double)total / (now() - t0));
  } else if (strcmp(mode, "small") == 0 && argc == 6) {
    const char *dir = argv[3];
    long count = atol(argv[4]);
    int size = atoi(argv[5]);
    if (count <= 0 || size <= 0 || size > (1 << 20)) fail(NULL, "COUNT and SIZE out of range");
    unsigned char *buf = malloc((size_t)size), *back = malloc((size_t)size);
    char path[4096];
    if (buf == NULL || back == NULL) fail(NULL, "malloc");
    if (nfs_mkdir(nfs, dir) != 0) fail(nfs, "mkdir");
    double t0 = now();
    for (long i = 0; i < count; i++) {
      struct nfsfh *fh;
      snprintf(path, sizeof path, "%s/f%05ld", dir, i);
      fill(buf, size, i);
      if (nfs_creat(nfs, path, 0644, &fh) != 0) fail(nfs, "creat");
      if (nfs_write(nfs, fh, (uint64_t)size, buf) != size) fail(nfs, "write");
      if (nfs_close(nfs, fh) != 0) fail(nfs, "close");
    }
    double t1 = now();
    for (long i = 0; i < count; i++) {
      struct nfsfh *fh;
      snprintf(path, sizeof path, "%s/f%05ld", dir, i);
      if (nfs_open(nfs, path, O_RDONLY, &fh) != 0) fail(nfs, "open");
      if (nfs_read(nfs, fh, (uint64_t)size, back) != size) fail(nfs, "read");
      if (nfs_close(nfs, fh) != 0) fail(nfs, "close");
      fill(buf, size, i);
      if (memcmp(buf, back, (size_t)size) != 0) {
        fprintf(stderr, "libnfs-bench: %s: content differs\n", path);
        return 1;
      }
    }
    double t2 = now();
    printf("{\"createPerSec\":%.1f,\"readPerSec\":%.1f}\n", (double)count / (t1 - t0), (double)count / (t2 - t1));
    free(buf);
    free(back);
  } else if (strcmp(mode, "read") == 0 && (argc == 5 || (argc == 6 && strcmp(argv[5], "out") == 0))) {
    struct nfs_stat_64 st;
    struct io s;
    memset(&s, 0, sizeof s);
    s.nfs = nfs;
    s.copy = strcmp(argv[4], "copy") == 0;
    s.out = argc == 6;
    s.inflight = s.out ? 1 : INFLIGHT;
    s.chunk = nfs_get_readmax(nfs) < BUF_BYTES ? nfs_get_readmax(nfs) : BUF_BYTES;
    s.buf = malloc(BUF_BYTES);
    if (s.buf == NULL) fail(NULL, "malloc");
    if (nfs_open(nfs, argv[3], O_RDONLY, &s.fh) != 0) fail(nfs, "open");
    if (nfs_fstat64(nfs, s.fh, &st) != 0) fail(nfs, "fstat");
    if (!s.out) {
      /* the warm-up: the file's first WARM_BYTES, untimed */
      s.size = st.nfs_size < WARM_BYTES ? st.nfs_size : WARM_BYTES;
      read_issue(&s);
      while (!s.failed && !(s.outstanding == 0 && s.next >= s.size)) serve_once(nfs);
      if (s.failed) fail(nfs, "read");
      s.next = s.done = 0;
    }
    s.size = st.nfs_size;
    double t0 = now();
    read_issue(&s);
    while (!s.failed && !(s.outstanding == 0 && s.next >= s.size)) serve_once(nfs);
    if (s.failed) fail(nfs, "read");
    double t1 = now();
    if (nfs_close(nfs, s.fh) != 0) fail(nfs, "close");
    if (s.out) fflush(stdout);
    else printf("{\"seconds\":%.6f,\"bytes\":%" PRIu64 "}\n", t1 - t0, s.done);
    free(s.buf);
  } else if (strcmp(mode, "write") == 0 && argc == 5) {
    struct io s;
    memset(&s, 0, sizeof s);
    s.nfs = nfs;
    s.inflight = INFLIGHT;
    s.size = strtoull(argv[4], NULL, 10);
    s.chunk = nfs_get_writemax(nfs) < BUF_BYTES ? nfs_get_writemax(nfs) : BUF_BYTES;
    unsigned char *pat = malloc(PATTERN_BYTES);
    if (pat == NULL || s.size == 0) fail(NULL, "malloc or SIZE");
    for (uint32_t i = 0; i < PATTERN_BYTES; i++) pat[i] = pattern_byte(i);
    s.pattern = pat;
    /* the warm-up: WARM_BYTES to a scratch file, written, synced, closed and removed, untimed */
    char warm[4096];
    snprintf(warm, sizeof warm, "%s.warm", argv[3]);
    uint64_t size = s.size;
    s.size = size < WARM_BYTES ? size : WARM_BYTES;
    if (nfs_creat(nfs, warm, 0644, &s.fh) != 0) fail(nfs, "creat");
    write_issue(&s);
    while (!s.failed && !(s.outstanding == 0 && s.next >= s.size)) serve_once(nfs);
    if (s.failed || nfs_fsync(nfs, s.fh) != 0 || nfs_close(nfs, s.fh) != 0 || nfs_unlink(nfs, warm) != 0) fail(nfs, "warm-up");
    s.size = size;
    s.next = s.done = 0;
    if (nfs_creat(nfs, argv[3], 0644, &s.fh) != 0) fail(nfs, "creat");
    double t0 = now();
    write_issue(&s);
    while (!s.failed && !(s.outstanding == 0 && s.next >= s.size)) serve_once(nfs);
    if (s.failed) fail(nfs, "write");
    if (nfs_fsync(nfs, s.fh) != 0) fail(nfs, "fsync");
    if (nfs_close(nfs, s.fh) != 0) fail(nfs, "close");
    double t1 = now();
    printf("{\"seconds\":%.6f,\"bytes\":%" PRIu64 "}\n", t1 - t0, s.done);
    free(pat);
  } else if (strcmp(mode, "readdir") == 0 && argc == 5) {
    struct dirstate d = { NULL, 0, 0 };
    /* the warm-up: another directory's listing, untimed */
    if (nfs_opendir_async(nfs, argv[4], opendir_cb, &d) != 0) fail(nfs, "opendir_async");
    while (!d.done) serve_once(nfs);
    if (d.failed) fail(nfs, "opendir");
    nfs_closedir(nfs, d.dir);
    d.dir = NULL;
    d.done = 0;
    double t0 = now();
    if (nfs_opendir_async(nfs, argv[3], opendir_cb, &d) != 0) fail(nfs, "opendir_async");
    while (!d.done) serve_once(nfs);
    if (d.failed) fail(nfs, "opendir");
    long entries = 0, files = 0;
    for (struct nfsdirent *e; (e = nfs_readdir(nfs, d.dir)) != NULL;) {
      if (strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0) continue;
      entries++;
      if (e->type == NF3REG) files++;
    }
    double t1 = now();
    nfs_closedir(nfs, d.dir);
    printf("{\"seconds\":%.6f,\"entries\":%ld,\"files\":%ld}\n", t1 - t0, entries, files);
  } else {
    fprintf(stderr, "libnfs-bench: bad arguments for %s\n", mode);
    return 2;
  }
  nfs_umount(nfs);
  nfs_destroy_context(nfs);
  return 0;
}

/*
 * libnfs-bench: the libnfs side of bench/run.ts's in-process workloads, written against the
 * public libnfs API (libnfs.h, libnfs-raw.h; Debian's libnfs-dev). One JSON line on stdout.
 *
 *   libnfs-bench info  URL                     {"readmax":N,"writemax":N}  (the negotiated sizes)
 *   libnfs-bench null  URL CALLS INFLIGHT      {"callsPerSec":N}  NFSv3 NULL, INFLIGHT outstanding
 *   libnfs-bench small URL DIR COUNT SIZE      {"createPerSec":N,"readPerSec":N}  serial sync API:
 *                                              creat+write+close, then open+read+close, checked
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

/* ---- small: the same deterministic content as bench/workloads/small-files.ts ---- */

static void fill(unsigned char *b, int size, long index) {
  for (int j = 0; j < size; j++) b[j] = (unsigned char)((index * 31 + j * 7) & 0xff);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: libnfs-bench info|null|small URL ...\n");
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
  } else {
    fprintf(stderr, "libnfs-bench: bad arguments for %s\n", mode);
    return 2;
  }
  nfs_umount(nfs);
  nfs_destroy_context(nfs);
  return 0;
}

/*
 * XDR throughput: encode and decode of a 1 MiB opaque on the zero-copy paths, fattr3 decode, a
 * 100-entry READDIRPLUS3res decode, a call header encode, and record reassembly.
 *
 *   npm run build && node dist/bench/xdr.js      (prints a table, writes bench/results/xdr.json)
 *
 * Each case takes BENCH_SAMPLES samples (default 5) of about BENCH_MS milliseconds (default 150)
 * after a warm-up; the figure is the median operations per second, with the range, and MB/s for
 * the 1 MiB cases. Where nothing is copied (by-reference encode, view and mbuf decode) the MB/s
 * is nominal: the cost does not depend on the size. Compare runs on the same machine only.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { M_PKTHDR, Mbuf, m_freem, m_tobuf, m_wrap } from '../sockets/mbuf.js';
import { createAuthSys } from '../rpc/auth/auth-sys.js';
import { encodeCallHeader } from '../rpc/msg/call.js';
import { RecordReader } from '../rpc/record/reader.js';
import { frameRecord } from '../rpc/record/writer.js';
import { XdrReader } from '../rpc/xdr/reader.js';
import { XdrWriter } from '../rpc/xdr/writer.js';
import type { fattr3 as Fattr3 } from '../nfsclient/nfs3/attr.js';
import { fattr3 } from '../nfsclient/nfs3/attr.js';
import { UNSTABLE } from '../nfsclient/nfs3/constants.js';
import { NFS3_OK } from '../nfsclient/nfs3/nfsstat3.js';
import { READ3res, READ3res_into, READ3res_mbuf, WRITE3args } from '../nfsclient/nfs3/proc-io.js';
import { READDIRPLUS3res } from '../nfsclient/nfs3/proc-readdir.js';
import type { entryplus3 } from '../nfsclient/nfs3/proc-readdir.js';
import { GETATTR3args } from '../nfsclient/nfs3/proc-attr.js';

const BENCH_MS = Number(process.env.BENCH_MS ?? 150);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
const MiB = 1024 * 1024;

interface Result {
  name: string;
  /** Median of the samples' operations per second, and the range. */
  opsPerSec: number;
  minOpsPerSec: number;
  maxOpsPerSec: number;
  /** opsPerSec × bytes per operation, for the 1 MiB cases (nominal where nothing is copied). */
  mbPerSec?: number;
}

let sink: unknown;

/* One sample: operations per second over about BENCH_MS. */
function sample(fn: () => unknown): number {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < BENCH_MS) {
    for (let i = 0; i < 16; i++) sink = fn();
    ops += 16;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

function bench(name: string, fn: () => unknown, bytesPerOp?: number): Result {
  sample(fn); /* warm-up */
  const xs = Array.from({ length: SAMPLES }, () => sample(fn)).sort((a, b) => a - b);
  const opsPerSec = xs[Math.floor(xs.length / 2)]!;
  const r: Result = { name, opsPerSec, minOpsPerSec: xs[0]!, maxOpsPerSec: xs[xs.length - 1]! };
  if (bytesPerOp !== undefined) r.mbPerSec = (opsPerSec * bytesPerOp) / MiB;
  return r;
}

/* A chain of `chunk`-byte mbufs over `buf`, as soreceive would hand over TCP data. */
function chunked(buf: Buffer, chunk: number): Mbuf {
  const head = m_wrap(buf.subarray(0, Math.min(chunk, buf.length)));
  let tail = head;
  for (let at = chunk; at < buf.length; at += chunk) {
    const m = m_wrap(buf.subarray(at, Math.min(at + chunk, buf.length)));
    m.m_flags &= ~M_PKTHDR;
    tail.m_next = m;
    tail = m;
  }
  head.m_pkthdr.len = buf.length;
  return head;
}

const attrs: Fattr3 = {
  type: 1, mode: 0o100644, nlink: 1, uid: 1000, gid: 1000, size: 123456789n, used: 123469824n,
  rdev: { specdata1: 0, specdata2: 0 }, fsid: 0x1234n, fileid: 987654321n,
  atime: { seconds: 1_700_000_000, nseconds: 1 }, mtime: { seconds: 1_700_000_000, nseconds: 2 }, ctime: { seconds: 1_700_000_000, nseconds: 3 },
};
const fh = Buffer.alloc(32, 7);
const data = Buffer.alloc(MiB, 0x5a);

function encodeToBuffer(fill: (w: XdrWriter) => void): Buffer {
  const w = new XdrWriter({ sizeHint: 64 * 1024 });
  fill(w);
  return Buffer.from(m_tobuf(w.finish()));
}

const results: Result[] = [];

/* 1 MiB opaque, encode: WRITE3args with the payload appended by reference. */
results.push(bench('encode WRITE3args, 1 MiB data by reference', () => {
  const w = new XdrWriter({ leadingSpace: 4 });
  WRITE3args.encode(w, { file: fh, offset: 0n, count: data.length, stable: UNSTABLE, data });
  return frameRecord(w.finish());
}, MiB));

/* 1 MiB opaque, decode: a READ reply as it arrives, in 64 KiB mbufs. */
const readReply = encodeToBuffer((w) => READ3res.encode(w, { status: NFS3_OK, resok: { file_attributes: attrs, count: MiB, eof: false, data } }));
const readChain = chunked(readReply, 64 * 1024);
results.push(bench('decode READ3res, 1 MiB as mbuf chain (zero-copy)', () => {
  const res = READ3res_mbuf.decode(new XdrReader(readChain));
  if (res.status === NFS3_OK) m_freem(res.resok.data);
  return res;
}, MiB));
const target = Buffer.alloc(MiB);
const intoCodec = READ3res_into(target, 0);
results.push(bench('decode READ3res, 1 MiB into caller buffer (1 copy)', () => intoCodec.decode(new XdrReader(readChain)), MiB));
results.push(bench('decode READ3res, 1 MiB from one buffer (view)', () => READ3res.decode(XdrReader.fromBuffer(readReply)), MiB));

/* fattr3: fast path (contiguous) and slow path (split across mbufs). */
const fattrBytes = encodeToBuffer((w) => fattr3.encode(w, attrs));
const fattrMbuf = m_wrap(fattrBytes);
results.push(bench('decode fattr3 (contiguous)', () => fattr3.decode(new XdrReader(fattrMbuf))));
const fattrSplit = chunked(fattrBytes, 20);
results.push(bench('decode fattr3 (split in 20-byte mbufs)', () => fattr3.decode(new XdrReader(fattrSplit))));

/* READDIRPLUS3res with 100 entries, each with attributes and a handle. */
const entries: entryplus3[] = Array.from({ length: 100 }, (_, i) => ({
  fileid: BigInt(1000 + i), name: `file-${i.toString().padStart(4, '0')}.dat`, cookie: BigInt(i + 1), name_attributes: attrs, name_handle: fh,
}));
const rdp = encodeToBuffer((w) => READDIRPLUS3res.encode(w, { status: NFS3_OK, resok: { dir_attributes: attrs, cookieverf: Buffer.alloc(8), reply: { entries, eof: true } } }));
const rdpChain = chunked(rdp, 64 * 1024);
results.push(bench(`decode READDIRPLUS3res, 100 entries (${rdp.length} bytes)`, () => READDIRPLUS3res.decode(new XdrReader(rdpChain))));

/* A GETATTR call: header with a pre-encoded AUTH_SYS credential, arguments, record mark. */
const auth = createAuthSys({ uid: 1000, gid: 1000, groups: [1000, 4, 24, 27], machinename: 'bench-host' });
let xid = 1;
results.push(bench('encode GETATTR call (header + AUTH_SYS + args + mark)', () => {
  const w = new XdrWriter({ leadingSpace: 4, sizeHint: 256 });
  encodeCallHeader(w, xid++ >>> 0, 100003, 3, 1, auth);
  GETATTR3args.encode(w, { object: fh });
  return frameRecord(w.finish());
}));

/* Record reassembly: a 1 MiB record arriving in 16 KiB segments. */
const framed = Buffer.from(m_tobuf(frameRecord(m_wrap(readReply))));
const segments = Array.from({ length: Math.ceil(framed.length / 16384) }, (_, i) => framed.subarray(i * 16384, (i + 1) * 16384));
results.push(bench('RecordReader, 1 MiB record from 16 KiB segments', () => {
  const rr = new RecordReader();
  for (const s of segments) rr.push(m_wrap(s));
  return rr.next();
}, MiB));

void sink;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const rows = results.map((r) => [r.name, fmt(r.opsPerSec), `${fmt(r.minOpsPerSec)}..${fmt(r.maxOpsPerSec)}`, r.mbPerSec === undefined ? '' : fmt(r.mbPerSec)]);
const head = ['case', 'ops/s (median)', 'range', 'MB/s'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));

const outDir = join(process.cwd(), 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'xdr.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, benchMs: BENCH_MS, samples: SAMPLES, results }, null, 2)}\n`);
console.log(`\nwrote ${join('bench', 'results', 'xdr.json')}`);

/*
 * The FUSE wire format (include/uapi/linux/fuse.h): requests are read from the slot the reader
 * filled, field by field where they lie (no request object beyond the header's few numbers);
 * replies are written into a caller's buffer after the 16-byte fuse_out_header, which the
 * device fills in when it sends them. Little-endian, as the kernel lays the structures out on
 * the hosts Node runs on (x86-64, arm64).
 *
 * 64-bit fields this server chooses (node IDs, file handles, uniques) are read as numbers: they
 * stay far below 2^53. Offsets and sizes that come from applications may not: u64() returns a
 * bigint for those beyond 2^53 - 1.
 */
import { nameFromBytes } from '../nfsclient/index.js';
import {
  FUSE_ATTR_SIZE, FUSE_DIRENTPLUS_NAME_OFFSET, FUSE_DIRENT_NAME_OFFSET, FUSE_ENTRY_OUT_SIZE, FUSE_IN_HEADER_SIZE,
  FUSE_OUT_HEADER_SIZE, FUSE_REC_ALIGN,
} from './kernel.js';

/** The fields of struct fuse_in_header, and where the request lies. */
export interface FuseRequest {
  /** Total length of the request (header and arguments). */
  readonly len: number;
  readonly opcode: number;
  readonly unique: number;
  readonly nodeid: number;
  /** The calling process's credentials, as the kernel saw them. */
  readonly uid: number;
  readonly gid: number;
  readonly pid: number;
  /** The request bytes: a view of the reader's slot, valid until the slot is released. */
  readonly buf: Buffer;
}

/** A malformed request (shorter than its opcode's arguments, a name without its NUL). */
export class FuseProtocolError extends Error {
  override name = 'FuseProtocolError';
}

const TWO32 = 2 ** 32;

/** struct fuse_in_header at the start of `buf` (n bytes read). */
export function decodeHeader(buf: Buffer, n: number): FuseRequest {
  if (n < FUSE_IN_HEADER_SIZE) throw new FuseProtocolError(`a request of ${n} bytes is shorter than fuse_in_header`);
  const len = buf.readUInt32LE(0);
  if (len !== n) throw new FuseProtocolError(`fuse_in_header.len ${len} but ${n} bytes were read`);
  return {
    len,
    opcode: buf.readUInt32LE(4),
    unique: buf.readUInt32LE(8) + buf.readUInt32LE(12) * TWO32,
    nodeid: buf.readUInt32LE(16) + buf.readUInt32LE(20) * TWO32,
    uid: buf.readUInt32LE(24),
    gid: buf.readUInt32LE(28),
    pid: buf.readUInt32LE(32),
    buf,
  };
}

/** Checks that `size` bytes of arguments follow the header. */
export function need(req: FuseRequest, size: number): void {
  if (req.len < FUSE_IN_HEADER_SIZE + size) {
    throw new FuseProtocolError(`opcode ${req.opcode}: ${req.len - FUSE_IN_HEADER_SIZE} bytes of arguments, ${size} expected`);
  }
}

/** A u32 at `off` bytes into the arguments. */
export function u32(req: FuseRequest, off: number): number {
  return req.buf.readUInt32LE(FUSE_IN_HEADER_SIZE + off);
}

/** A u64 this server chose (node ID, fh): a number. */
export function id64(req: FuseRequest, off: number): number {
  const o = FUSE_IN_HEADER_SIZE + off;
  return req.buf.readUInt32LE(o) + req.buf.readUInt32LE(o + 4) * TWO32;
}

/** A u64 from the caller (offset, size): a number when it is a safe integer, else a bigint. */
export function u64(req: FuseRequest, off: number): number | bigint {
  const o = FUSE_IN_HEADER_SIZE + off;
  const hi = req.buf.readUInt32LE(o + 4);
  if (hi < 0x200000) return req.buf.readUInt32LE(o) + hi * TWO32;
  return req.buf.readBigUInt64LE(o);
}

/** A signed 64-bit time in seconds (fuse_setattr_in.atime ...). */
export function s64(req: FuseRequest, off: number): number {
  return Number(req.buf.readBigInt64LE(FUSE_IN_HEADER_SIZE + off));
}

/** The bytes of the arguments from `off` to the end of the request (WRITE's data): a view, no copy. */
export function tail(req: FuseRequest, off: number, size: number): Buffer {
  const start = FUSE_IN_HEADER_SIZE + off;
  if (start + size > req.len) throw new FuseProtocolError(`opcode ${req.opcode}: ${size} bytes of data announced, ${req.len - start} sent`);
  return req.buf.subarray(start, start + size);
}

/**
 * A NUL-terminated name at `off` bytes into the arguments: the name and where the next field
 * starts. Names are bytes; those that are not UTF-8 become the client's escapes (nameFromBytes),
 * which name the same bytes on the server.
 */
export function cstring(req: FuseRequest, off: number): { name: string; next: number } {
  const start = FUSE_IN_HEADER_SIZE + off;
  const nul = req.buf.indexOf(0, start);
  if (nul < 0 || nul >= req.len) throw new FuseProtocolError(`opcode ${req.opcode}: a name without its NUL`);
  return { name: nameFromBytes(req.buf, start, nul), next: nul + 1 - FUSE_IN_HEADER_SIZE };
}

/* ------------------------------------------------------------------ replies */

/** Where a reply's payload starts in the buffer the device sends. */
export const REPLY = FUSE_OUT_HEADER_SIZE;

/** What struct fuse_attr holds. Times in seconds and nanoseconds. */
export interface FuseAttr {
  ino: bigint;
  size: bigint;
  blocks: bigint;
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
  atimensec: number;
  mtimensec: number;
  ctimensec: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  blksize: number;
}

/** struct fuse_attr at `o`. Returns the offset after it. */
export function putAttr(b: Buffer, o: number, a: FuseAttr): number {
  b.writeBigUInt64LE(a.ino, o);
  b.writeBigUInt64LE(a.size, o + 8);
  b.writeBigUInt64LE(a.blocks, o + 16);
  b.writeBigUInt64LE(a.atime, o + 24);
  b.writeBigUInt64LE(a.mtime, o + 32);
  b.writeBigUInt64LE(a.ctime, o + 40);
  b.writeUInt32LE(a.atimensec, o + 48);
  b.writeUInt32LE(a.mtimensec, o + 52);
  b.writeUInt32LE(a.ctimensec, o + 56);
  b.writeUInt32LE(a.mode, o + 60);
  b.writeUInt32LE(a.nlink, o + 64);
  b.writeUInt32LE(a.uid, o + 68);
  b.writeUInt32LE(a.gid, o + 72);
  b.writeUInt32LE(a.rdev, o + 76);
  b.writeUInt32LE(a.blksize, o + 80);
  b.writeUInt32LE(0, o + 84); /* flags */
  return o + FUSE_ATTR_SIZE;
}

function putU64(b: Buffer, v: number, o: number): void {
  b.writeUInt32LE(v % TWO32, o);
  b.writeUInt32LE(Math.floor(v / TWO32), o + 4);
}

/** A cache timeout in seconds as the kernel takes it: whole seconds and nanoseconds. */
function putTimeout(b: Buffer, seconds: number, secOff: number, nsecOff: number): void {
  const whole = Math.floor(seconds);
  putU64(b, whole, secOff);
  b.writeUInt32LE(Math.round((seconds - whole) * 1e9), nsecOff);
}

/**
 * struct fuse_entry_out at `o`: node ID (0: a negative entry, cached for entryValid), generation,
 * the name's and the attributes' cache timeouts (seconds), the attributes. Returns the end.
 */
export function putEntry(b: Buffer, o: number, nodeid: number, generation: number, entryValid: number,
  attrValid: number, attr: FuseAttr | null): number {
  putU64(b, nodeid, o);
  putU64(b, generation, o + 8);
  putTimeout(b, entryValid, o + 16, o + 32);
  putTimeout(b, attrValid, o + 24, o + 36);
  if (attr === null) b.fill(0, o + 40, o + FUSE_ENTRY_OUT_SIZE);
  else putAttr(b, o + 40, attr);
  return o + FUSE_ENTRY_OUT_SIZE;
}

/** struct fuse_attr_out at `o`. */
export function putAttrOut(b: Buffer, o: number, attrValid: number, attr: FuseAttr): number {
  putTimeout(b, attrValid, o, o + 8);
  b.writeUInt32LE(0, o + 12);
  return putAttr(b, o + 16, attr);
}

/** struct fuse_open_out at `o`. */
export function putOpen(b: Buffer, o: number, fh: number, openFlags: number): number {
  putU64(b, fh, o);
  b.writeUInt32LE(openFlags, o + 8);
  b.writeUInt32LE(0, o + 12);
  return o + 16;
}

/** struct fuse_write_out at `o`. */
export function putWrite(b: Buffer, o: number, size: number): number {
  b.writeUInt32LE(size, o);
  b.writeUInt32LE(0, o + 4);
  return o + 8;
}

/** What struct fuse_kstatfs holds. */
export interface FuseStatfs {
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  bsize: number;
  namelen: number;
  frsize: number;
}

/** struct fuse_statfs_out at `o`. */
export function putStatfs(b: Buffer, o: number, s: FuseStatfs): number {
  b.writeBigUInt64LE(s.blocks, o);
  b.writeBigUInt64LE(s.bfree, o + 8);
  b.writeBigUInt64LE(s.bavail, o + 16);
  b.writeBigUInt64LE(s.files, o + 24);
  b.writeBigUInt64LE(s.ffree, o + 32);
  b.writeUInt32LE(s.bsize, o + 40);
  b.writeUInt32LE(s.namelen, o + 44);
  b.writeUInt32LE(s.frsize, o + 48);
  b.fill(0, o + 52, o + 80); /* padding, spare[6] */
  return o + 80;
}

/** What struct fuse_init_out holds (the rest is zero). */
export interface FuseInitOut {
  major: number;
  minor: number;
  maxReadahead: number;
  flags: number;
  maxBackground: number;
  congestionThreshold: number;
  maxWrite: number;
  timeGran: number;
  maxPages: number;
}

/** struct fuse_init_out at `o`. */
export function putInit(b: Buffer, o: number, i: FuseInitOut): number {
  b.fill(0, o, o + 64);
  b.writeUInt32LE(i.major, o);
  b.writeUInt32LE(i.minor, o + 4);
  b.writeUInt32LE(i.maxReadahead, o + 8);
  b.writeUInt32LE(i.flags >>> 0, o + 12);
  b.writeUInt16LE(i.maxBackground, o + 16);
  b.writeUInt16LE(i.congestionThreshold, o + 18);
  b.writeUInt32LE(i.maxWrite, o + 20);
  b.writeUInt32LE(i.timeGran, o + 24);
  b.writeUInt16LE(i.maxPages, o + 28);
  return o + 64;
}

/** Bytes struct fuse_dirent takes for a name of `nameLen` bytes (padded). */
export function direntSize(nameLen: number): number {
  return FUSE_REC_ALIGN(FUSE_DIRENT_NAME_OFFSET + nameLen);
}

/** Bytes struct fuse_direntplus takes for a name of `nameLen` bytes (padded). */
export function direntplusSize(nameLen: number): number {
  return FUSE_REC_ALIGN(FUSE_DIRENTPLUS_NAME_OFFSET + nameLen);
}

/**
 * struct fuse_dirent at `o`: ino, the offset of the *next* entry (what READDIR's offset then
 * asks for), DT_* type, the name (bytes, padded with zeros). Returns the end.
 */
export function putDirent(b: Buffer, o: number, ino: bigint, nextOff: number, type: number, name: Buffer): number {
  b.writeBigUInt64LE(ino, o);
  putU64(b, nextOff, o + 8);
  b.writeUInt32LE(name.length, o + 16);
  b.writeUInt32LE(type, o + 20);
  name.copy(b, o + FUSE_DIRENT_NAME_OFFSET);
  const end = o + direntSize(name.length);
  b.fill(0, o + FUSE_DIRENT_NAME_OFFSET + name.length, end);
  return end;
}

/** The DT_* type of S_IF* type bits (include/linux/fs_types.h: DT = S_IFMT >> 12). */
export function dtype(mode: number): number {
  return (mode & 0o170000) >>> 12;
}

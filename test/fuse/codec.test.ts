/*
 * The FUSE wire format against include/uapi/linux/fuse.h (7.38): where each field of the
 * structures this server writes lands, and how requests are taken apart, malformed ones included.
 */
import { describe, expect, it } from 'vitest';
import {
  FuseProtocolError, REPLY, cstring, decodeHeader, direntSize, direntplusSize, dtype, id64,
  putAttrOut, putDirent, putEntry, putInit, putOpen, putStatfs, putWrite, tail, u64,
} from '../../fuse/codec.js';
import type { FuseAttr } from '../../fuse/codec.js';
import { FUSE_ENTRY_OUT_SIZE, FUSE_IN_HEADER_SIZE, S_IFDIR, S_IFLNK, S_IFREG } from '../../fuse/kernel.js';

/* A request as the kernel writes it: fuse_in_header then `args`. */
function request(opcode: number, unique: bigint, nodeid: bigint, args: Buffer): Buffer {
  const b = Buffer.alloc(FUSE_IN_HEADER_SIZE + args.length);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt32LE(opcode, 4);
  b.writeBigUInt64LE(unique, 8);
  b.writeBigUInt64LE(nodeid, 16);
  b.writeUInt32LE(1000, 24); /* uid */
  b.writeUInt32LE(100, 28); /* gid */
  b.writeUInt32LE(4242, 32); /* pid */
  args.copy(b, FUSE_IN_HEADER_SIZE);
  return b;
}

const attr: FuseAttr = {
  ino: 0x1122334455667788n, size: 5n, blocks: 8n, atime: 1n, mtime: 2n, ctime: 3n, atimensec: 4, mtimensec: 5,
  ctimensec: 6, mode: S_IFREG | 0o644, nlink: 7, uid: 8, gid: 9, rdev: 10, blksize: 4096,
};

describe('requests', () => {
  it('fuse_in_header: len, opcode, unique, nodeid, uid, gid, pid', () => {
    const r = decodeHeader(request(1, 0x100000002n, 7n, Buffer.from('name\0')), FUSE_IN_HEADER_SIZE + 5);
    expect([r.len, r.opcode, r.unique, r.nodeid, r.uid, r.gid, r.pid]).toEqual([45, 1, 0x100000002, 7, 1000, 100, 4242]);
    expect(cstring(r, 0)).toEqual({ name: 'name', next: 5 });
  });

  it('a request shorter than its header, or whose length is not what was read, is refused', () => {
    expect(() => decodeHeader(Buffer.alloc(39), 39)).toThrow(FuseProtocolError);
    const b = request(1, 2n, 1n, Buffer.from('x\0'));
    expect(() => decodeHeader(b, b.length - 1)).toThrow(/len 42 but 41 bytes were read/);
  });

  it('names: two in a row (RENAME), a name without its NUL, and a name that is not UTF-8 (escaped, as the client takes it)', () => {
    const r = decodeHeader(request(12, 2n, 1n, Buffer.concat([Buffer.alloc(8), Buffer.from('old\0néw\0')])), 40 + 8 + 9);
    const a = cstring(r, 8);
    expect(a.name).toBe('old');
    expect(cstring(r, a.next).name).toBe('néw');
    const bad = decodeHeader(request(1, 2n, 1n, Buffer.from('abc')), 43);
    expect(() => cstring(bad, 0)).toThrow(/without its NUL/);
    const latin1 = decodeHeader(request(1, 2n, 1n, Buffer.from([0x61, 0xe9, 0])), 43);
    expect(cstring(latin1, 0)).toEqual({ name: 'a\uDCE9', next: 3 });
  });

  it('64-bit fields: numbers while safe, bigints beyond 2^53 (offsets up to 2^64 - 1)', () => {
    const args = Buffer.alloc(24);
    args.writeBigUInt64LE(2n ** 53n - 1n, 0);
    args.writeBigUInt64LE(2n ** 64n - 1n, 8);
    args.writeBigUInt64LE(12345n, 16);
    const r = decodeHeader(request(15, 2n, 1n, args), 64);
    expect(u64(r, 0)).toBe(2 ** 53 - 1);
    expect(u64(r, 8)).toBe(2n ** 64n - 1n);
    expect(id64(r, 16)).toBe(12345);
  });

  it('WRITE data is a view of the request, and must be as long as announced', () => {
    const data = Buffer.from('payload');
    const r = decodeHeader(request(16, 2n, 1n, Buffer.concat([Buffer.alloc(40), data])), 40 + 40 + 7);
    const t = tail(r, 40, 7);
    expect(t.equals(data)).toBe(true);
    expect(t.buffer).toBe(r.buf.buffer); /* no copy */
    expect(() => tail(r, 40, 8)).toThrow(/8 bytes of data announced, 7 sent/);
  });
});

describe('replies: the layout of fuse.h', () => {
  it('fuse_entry_out: 128 bytes; nodeid, generation, timeouts (seconds and nanoseconds), then fuse_attr', () => {
    const b = Buffer.alloc(REPLY + 128, 0xff);
    expect(putEntry(b, REPLY, 42, 3, 1.5, 30, attr)).toBe(REPLY + FUSE_ENTRY_OUT_SIZE);
    const o = REPLY;
    expect(b.readBigUInt64LE(o)).toBe(42n);
    expect(b.readBigUInt64LE(o + 8)).toBe(3n);
    expect(b.readBigUInt64LE(o + 16)).toBe(1n); /* entry_valid */
    expect(b.readBigUInt64LE(o + 24)).toBe(30n); /* attr_valid */
    expect(b.readUInt32LE(o + 32)).toBe(500_000_000); /* entry_valid_nsec */
    expect(b.readUInt32LE(o + 36)).toBe(0);
    const a = o + 40;
    expect(b.readBigUInt64LE(a)).toBe(0x1122334455667788n); /* ino */
    expect(b.readBigUInt64LE(a + 8)).toBe(5n); /* size */
    expect(b.readBigUInt64LE(a + 16)).toBe(8n); /* blocks */
    expect([b.readBigUInt64LE(a + 24), b.readBigUInt64LE(a + 32), b.readBigUInt64LE(a + 40)]).toEqual([1n, 2n, 3n]);
    expect([48, 52, 56, 60, 64, 68, 72, 76, 80, 84].map((x) => b.readUInt32LE(a + x))).toEqual([4, 5, 6, S_IFREG | 0o644, 7, 8, 9, 10, 4096, 0]);
  });

  it('a negative entry is node ID 0 with zeroed attributes', () => {
    const b = Buffer.alloc(REPLY + 128, 0xff);
    putEntry(b, REPLY, 0, 0, 30, 0, null);
    expect(b.readBigUInt64LE(REPLY)).toBe(0n);
    expect(b.subarray(REPLY + 40, REPLY + 128).every((x) => x === 0)).toBe(true);
  });

  it('fuse_attr_out (104), fuse_open_out (16), fuse_write_out (8), fuse_kstatfs (80), fuse_init_out (64)', () => {
    const b = Buffer.alloc(256, 0xff);
    expect(putAttrOut(b, 0, 3, attr) - 0).toBe(104);
    expect(b.readBigUInt64LE(16)).toBe(0x1122334455667788n);
    expect(putOpen(b, 0, 9, 2)).toBe(16);
    expect([b.readBigUInt64LE(0), b.readUInt32LE(8), b.readUInt32LE(12)]).toEqual([9n, 2, 0]);
    expect(putWrite(b, 0, 4096)).toBe(8);
    expect(putStatfs(b, 0, { blocks: 1n, bfree: 2n, bavail: 3n, files: 4n, ffree: 5n, bsize: 4096, namelen: 255, frsize: 4096 })).toBe(80);
    expect([b.readUInt32LE(40), b.readUInt32LE(44), b.readUInt32LE(48)]).toEqual([4096, 255, 4096]);
    expect(putInit(b, 0, {
      major: 7, minor: 38, maxReadahead: 131072, flags: 0x80000001, maxBackground: 64, congestionThreshold: 48,
      maxWrite: 1 << 20, timeGran: 1, maxPages: 256,
    })).toBe(64);
    expect([b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)]).toEqual([7, 38, 131072, 0x80000001]);
    expect([b.readUInt16LE(16), b.readUInt16LE(18), b.readUInt32LE(20), b.readUInt32LE(24), b.readUInt16LE(28)]).toEqual([64, 48, 1 << 20, 1, 256]);
  });

  it('dirents are padded to 8 bytes, carry the offset of the next entry and the DT_ type', () => {
    expect([direntSize(1), direntSize(8), direntSize(9)]).toEqual([32, 32, 40]);
    expect([direntplusSize(1), direntplusSize(9)]).toEqual([160, 168]);
    expect([dtype(S_IFDIR), dtype(S_IFREG), dtype(S_IFLNK)]).toEqual([4, 8, 10]);
    const b = Buffer.alloc(64, 0xff);
    expect(putDirent(b, 0, 77n, 3, dtype(S_IFREG), Buffer.from('abc'))).toBe(32);
    expect([b.readBigUInt64LE(0), b.readBigUInt64LE(8), b.readUInt32LE(16), b.readUInt32LE(20)]).toEqual([77n, 3n, 3, 8]);
    expect(b.toString('latin1', 24, 32)).toBe('abc\0\0\0\0\0');
  });
});

import { describe, expect, it } from 'vitest';
import { M_READONLY, m_length, m_tobuf, Mbuf } from '../../sockets/mbuf.js';
import { XdrDecodeError } from '../../rpc/errors.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { FILE_SYNC, UNSTABLE } from '../../nfsclient/nfs3/constants.js';
import { NFS3_OK } from '../../nfsclient/nfs3/nfsstat3.js';
import { READ3res, READ3res_into, READ3res_mbuf, WRITE3args } from '../../nfsclient/nfs3/proc-io.js';
import type { READ3res as READ3resT } from '../../nfsclient/nfs3/proc-io.js';
import { byteChain, chainOf, encode, thrown } from '../rpc/xdr-helpers.js';
import { sampleFattr3 } from './nfs3-arbitraries.js';

const data = Buffer.alloc(100_001);
for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;

const reply: READ3resT = { status: NFS3_OK, resok: { file_attributes: sampleFattr3, count: data.length, eof: false, data } };

describe('WRITE3args: data is never copied on encode', () => {
  it('puts the caller\'s Buffer itself in the chain, between the header and the padding', () => {
    const w = new XdrWriter({ leadingSpace: 4 });
    WRITE3args.encode(w, { file: Buffer.alloc(32, 1), offset: 1n << 40n, count: data.length, stable: UNSTABLE, data });
    const m = w.finish();
    const payload = m.m_next!;
    expect(payload.m_buf).toBe(data);
    expect(M_READONLY(payload)).toBe(true);
    expect(m.m_pkthdr.len).toBe(4 + 32 + 8 + 4 + 4 + 4 + data.length + 3);
    const back = WRITE3args.decode(new XdrReader(m));
    expect(back.data.equals(data)).toBe(true);
    expect(back.offset).toBe(1n << 40n);
  });

  it('rejects an unknown stable_how on decode', () => {
    const b = encode(WRITE3args, { file: Buffer.alloc(4), offset: 0n, count: 0, stable: FILE_SYNC, data: Buffer.alloc(0) });
    b.writeUInt32BE(3, 4 + 4 + 8 + 4);
    expect((thrown(() => WRITE3args.decode(XdrReader.fromBuffer(b))) as XdrDecodeError).what).toBe('WRITE3args.stable');
  });
});

describe('READ3res: data as a view, an mbuf chain, or copied into the caller\'s buffer', () => {
  const wire = encode(READ3res, reply);
  const header = 4 + 4 + 84 + 4 + 4 + 4; /* status, attributes_follow, fattr3, count, eof, length */

  it('returns a view on the reply when the data is contiguous', () => {
    const res = READ3res.decode(XdrReader.fromBuffer(wire));
    if (res.status !== NFS3_OK) throw new Error('expected NFS3_OK');
    expect(res.resok.data.buffer).toBe(wire.buffer);
    expect(res.resok.data.byteOffset).toBe(wire.byteOffset + header);
    expect(res.resok.data.equals(data)).toBe(true);
  });

  it('hands back the data as an mbuf chain sharing the received storage', () => {
    const received = chainOf(wire, [1000, 50_000, 50_000, 90_000]);
    const res = READ3res_mbuf.decode(new XdrReader(received));
    if (res.status !== NFS3_OK) throw new Error('expected NFS3_OK');
    const m = res.resok.data;
    expect(m_length(m)).toBe(data.length);
    for (let n: Mbuf | null = m; n !== null; n = n.m_next) if (n.m_len > 0) expect(n.m_buf.buffer).toBe(wire.buffer);
    expect(m_tobuf(m).equals(data)).toBe(true);
  });

  it('copies the data straight into the caller\'s buffer at an offset (one copy)', () => {
    const target = Buffer.alloc(data.length + 10, 0xff);
    const res = READ3res_into(target, 10).decode(new XdrReader(chainOf(wire, [777, 40_000])));
    if (res.status !== NFS3_OK) throw new Error('expected NFS3_OK');
    expect(res.resok.data).toBe(data.length);
    expect(res.resok.count).toBe(data.length);
    expect(target.subarray(10).equals(data)).toBe(true);
    expect(target.subarray(0, 10).equals(Buffer.alloc(10, 0xff))).toBe(true);
  });

  it('refuses a reply carrying more data than the caller\'s buffer holds', () => {
    const target = Buffer.alloc(100);
    const e = thrown(() => READ3res_into(target, 0).decode(XdrReader.fromBuffer(wire)));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as XdrDecodeError).offset).toBe(header - 4);
  });

  it('encodes all three variants to the same bytes', () => {
    const target = Buffer.alloc(data.length);
    READ3res_into(target, 0).decode(XdrReader.fromBuffer(wire));
    const viaInto = encode(READ3res_into(target, 0), { status: NFS3_OK, resok: { ...reply.resok, data: data.length } } as never);
    const viaMbuf = encode(READ3res_mbuf, READ3res_mbuf.decode(XdrReader.fromBuffer(wire)));
    expect(viaInto.equals(wire)).toBe(true);
    expect(viaMbuf.equals(wire)).toBe(true);
  });

  it('decodes a READ reply from one-byte mbufs', () => {
    const small = encode(READ3res, { status: NFS3_OK, resok: { file_attributes: null, count: 5, eof: true, data: Buffer.from('abcde') } });
    const res = READ3res.decode(new XdrReader(byteChain(small)));
    expect(res).toEqual({ status: NFS3_OK, resok: { file_attributes: null, count: 5, eof: true, data: Buffer.from('abcde') } });
  });
});

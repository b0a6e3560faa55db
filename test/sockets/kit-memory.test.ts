/*
 * The porting kit's memory idioms on real sockets: mtod as the kernel's (writes before m_len,
 * appends into trailing space), int and struct views, byte order, sizeof, bcopy/bzero/memcpy/
 * memset, a local's address as memory, a single iovec.
 */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, BYTE_ORDER, INADDR_ANY, INADDR_LOOPBACK, Iovec, LITTLE_ENDIAN, MCLGET, MGET, MH_ALIGN, MLEN, MSG_WAITALL,
  MT_DATA, MT_SONAME, M_PREPEND, M_WAIT, SOCK_STREAM, UIO_READ, UIO_SYSSPACE, UIO_WRITE, Uio, bcopy, bzero, caddr,
  caddr_t, htonl, htons, int32_t, m_bytes, m_freem, m_freemp, m_gethdr, m_length, m_tobuf, m_wrap, memcpy, memset, mtod,
  ntohl, ntohs, proc0, sizeof, sobind, soconnect, sockaddr_parse, soreceive, sosend, sosockaddr, struct_in_addr,
  struct_sockaddr, struct_sockaddr_in, u_int16_t, u_int32_t, u_int8_t, uint32_t,
} from '../../sockets/index.js';
import type { Mbuf, Ref } from '../../sockets/index.js';
import { mkso, portof, recvall, tcpListener, tcpPair, waitConnect } from './helpers.js';

describe('mtod, m_data and m_bytes', () => {
  it('lets a request be written through mtod before m_len is set, and appended into trailing space, then sent', async () => {
    const { client, server } = await tcpPair();
    const m = m_gethdr(M_WAIT, MT_DATA);
    MH_ALIGN(m, 8);
    const tl = mtod(m, u_int32_t);
    tl[0] = htonl(0xdeadbeef); /* written before m_len says the bytes are there */
    m.m_len = 4;
    mtod(m, caddr_t).write('tail', m.m_len); /* appended into the trailing space */
    m.m_len += 4;
    m.m_pkthdr.len = m.m_len;
    const top = M_PREPEND(m, 4, M_WAIT);
    mtod(top, u_int32_t)[0] = htonl(0x80000000 | (top.m_pkthdr.len - 4));
    expect(await sosend(client, null, null, top, null, 0)).toBe(0);
    const got = await recvall(server, 12);
    expect(got.toString('hex')).toBe('80000008' + 'deadbeef' + Buffer.from('tail').toString('hex'));
  });

  it('m_data moves the data start (m->m_data += n) and m_bytes views just the m_len bytes of what was received', async () => {
    const { client, server } = await tcpPair();
    expect(await sosend(client, null, null, m_wrap(Buffer.from('0123456789')), null, 0)).toBe(0);
    const uio = new Uio();
    uio.uio_resid = 10;
    const mp: Ref<Mbuf | null> = { value: null };
    expect(await soreceive(server, null, uio, mp, null, { value: MSG_WAITALL }, 0)).toBe(0);
    const m = mp.value!;
    expect(m_tobuf(m).toString()).toBe('0123456789');
    let first = m;
    while (first.m_len === 0) first = first.m_next!;
    const before = m_bytes(first).toString();
    first.m_data += 2;
    first.m_len -= 2;
    expect(m_bytes(first).toString()).toBe(before.slice(2));
    expect(mtod(first).subarray(0, first.m_len).toString()).toBe(before.slice(2));
    m_freemp(mp);
    expect(mp.value).toBeNull();
  });

  it('int views follow host byte order, as the kernel pointer does; a misaligned one is the alignment fault', () => {
    const m = MGET(M_WAIT, MT_DATA);
    m.m_len = 8;
    mtod(m, u_int32_t)[0] = htonl(0x01020304);
    mtod(m, u_int16_t)[2] = htons(0x0506);
    mtod(m, u_int8_t)[6] = 7;
    mtod(m, int32_t)[1] |= 0; /* a read-modify-write through a signed view */
    expect(m_bytes(m).subarray(0, 7).toString('hex')).toBe('01020304050607');
    expect(ntohl(mtod(m, uint32_t)[0]!)).toBe(0x01020304);
    expect(mtod(m, u_int32_t).length).toBe(MLEN / 4);
    m.m_data += 1;
    expect(() => mtod(m, u_int32_t)).toThrow(/misaligned/);
    expect(mtod(m, u_int8_t)[0]).toBe(2);
    m_freem(m);
  });

  it('htons, htonl, ntohs and ntohl swap on a little-endian host and give unsigned values', () => {
    const le = BYTE_ORDER === LITTLE_ENDIAN;
    expect(htons(0x0801)).toBe(le ? 0x0108 : 0x0801);
    expect(htonl(0x7f000001)).toBe(le ? 0x0100007f : 0x7f000001);
    expect(htonl(0x80000000 | 5)).toBe(le ? 0x05000080 : 0x80000005);
    expect(ntohl(htonl(0xfffffffe))).toBe(0xfffffffe);
    expect(ntohs(htons(65535))).toBe(65535);
    expect(htons(0x12345)).toBe(htons(0x2345));
  });

  it('sizeof gives the C sizes', () => {
    expect(sizeof(u_int32_t)).toBe(4);
    expect(sizeof(int32_t)).toBe(4);
    expect(sizeof(u_int16_t)).toBe(2);
    expect(sizeof(caddr_t)).toBe(1);
    expect(sizeof(struct_sockaddr_in)).toBe(16);
    expect(sizeof(struct_sockaddr)).toBe(16);
    expect(sizeof(struct_in_addr)).toBe(4);
  });
});

describe('struct views of a sockaddr in an mbuf', () => {
  it('a sockaddr_in built field by field binds INADDR_ANY:0 and connects to htonl(INADDR_LOOPBACK)', async () => {
    const { port } = await tcpListener();
    const so = mkso(AF_INET, SOCK_STREAM);
    const nam = MGET(M_WAIT, MT_SONAME);
    let sin = mtod(nam, struct_sockaddr_in);
    memset(sin, 0xff, sizeof(struct_sockaddr_in));
    memset(sin, 0, sizeof(struct_sockaddr_in));
    sin.sin_len = nam.m_len = sizeof(struct_sockaddr_in);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = INADDR_ANY;
    sin.sin_port = htons(0);
    expect(await sobind(so, nam, proc0)).toBe(0);
    expect(portof(so)).toBeGreaterThan(0);

    sin = mtod(nam, struct_sockaddr_in);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons(port);
    expect(sockaddr_parse(nam)).toEqual({ family: AF_INET, address: '127.0.0.1', port });
    expect(mtod(nam, struct_sockaddr).sa_family).toBe(AF_INET);
    expect(soconnect(so, nam)).toBe(0);
    await waitConnect(so);
    expect(so.so_error).toBe(0);
    m_freem(nam);

    const local: Ref<Mbuf | null> = { value: null };
    expect(sosockaddr(so, local)).toBe(0);
    const lsin = mtod(local.value!, struct_sockaddr_in);
    expect(ntohs(lsin.sin_port)).toBe(portof(so));
    expect(ntohl(lsin.sin_addr.s_addr)).toBe(INADDR_LOOPBACK);
    expect([...lsin.sin_zero]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    m_freem(local.value);
  });

  it('a struct that does not fit the storage left is refused', () => {
    const m = m_wrap(Buffer.alloc(10));
    expect(() => mtod(m, struct_sockaddr_in)).toThrow(RangeError);
    m_freem(m);
  });
});

describe('bcopy, bzero, memcpy, memset', () => {
  it('copy and fill with the kernel argument order, overlapping ranges included, and refuse a length past the end', () => {
    const b = Buffer.from('abcdefgh');
    bcopy(b, b.subarray(2), 4);
    expect(b.toString()).toBe('ababcdgh');
    const d = Buffer.alloc(4);
    expect(memcpy(d, Buffer.from('wxyz'), 3)).toBe(d);
    expect(d.toString('latin1')).toBe('wxy\0');
    bzero(d, 2);
    expect([...d]).toEqual([0, 0, 0x79, 0]);
    memset(d, 0x141, 4);
    expect([...d]).toEqual([0x41, 0x41, 0x41, 0x41]);
    expect(() => bcopy(b, d, 5)).toThrow(RangeError);
    expect(() => bzero(d, 5)).toThrow(RangeError);
    expect(() => memset(d, 0, -1)).toThrow(RangeError);
  });
});

describe('a local as memory and a single iovec', () => {
  it("reads a record mark into a one-word local through auio.uio_iov = &aio, then the record through mp0", async () => {
    const { client, server } = await tcpPair();
    const body = Buffer.alloc(3000, 0x5a);
    const mark = Buffer.alloc(4);
    mark.writeUInt32BE((0x80000000 | body.length) >>> 0);
    expect(await sosend(client, null, null, m_wrap(Buffer.concat([mark, body])), null, 0)).toBe(0);

    const len = new Uint32Array(1);
    const aio = new Iovec();
    aio.iov_base = caddr(len);
    aio.iov_len = sizeof(u_int32_t);
    const auio = new Uio();
    auio.uio_iov = aio;
    auio.uio_iovcnt = 1;
    auio.uio_segflg = UIO_SYSSPACE;
    auio.uio_rw = UIO_READ;
    auio.uio_offset = 0;
    auio.uio_resid = sizeof(u_int32_t);
    const rcvflg = { value: MSG_WAITALL };
    expect(await soreceive(server, null, auio, null, null, rcvflg, 0)).toBe(0);
    expect(auio.uio_resid).toBe(0);
    expect(aio.iov_len).toBe(0);
    expect(auio.uio_iovcnt).toBe(1); /* used up, it is still the uio's one iovec, as in the kernel */
    len[0] = ntohl(len[0]!) & ~0x80000000;
    expect(len[0]).toBe(body.length);

    auio.uio_resid = len[0]!;
    const mp: Ref<Mbuf | null> = { value: null };
    rcvflg.value = MSG_WAITALL;
    expect(await soreceive(server, null, auio, mp, null, rcvflg, 0)).toBe(0);
    expect(m_length(mp.value)).toBe(body.length);
    expect(m_tobuf(mp.value).equals(body)).toBe(true);
    m_freem(mp.value);

    /* The same uio and iovec, pointed at the local again, read the next mark. */
    expect(await sosend(client, null, null, m_wrap(mark), null, 0)).toBe(0);
    aio.iov_base = caddr(len);
    aio.iov_len = sizeof(u_int32_t);
    auio.uio_resid = sizeof(u_int32_t);
    rcvflg.value = MSG_WAITALL;
    expect(await soreceive(server, null, auio, null, null, rcvflg, 0)).toBe(0);
    expect(ntohl(len[0]!) & ~0x80000000).toBe(body.length);
  });

  it('sends from a single iovec, and refuses one whose uio_iovcnt or resid does not match it', async () => {
    const { client, server } = await tcpPair();
    const one = (b: Buffer, cnt = 1, resid = b.length): Uio => new Uio(new Iovec(b), cnt, 0, resid, UIO_SYSSPACE, UIO_WRITE, null);
    expect(await sosend(client, null, one(Buffer.from('hello')), null, null, 0)).toBe(0);
    expect((await recvall(server, 5)).toString()).toBe('hello');
    expect(await sosend(client, null, one(Buffer.from('x'), 2), null, null, 0)).toBe(22);
    expect(await sosend(client, null, one(Buffer.from('x'), 1, 2), null, null, 0)).toBe(22);
  });

  it('gives clusters with room: MCLGET storage seen whole by mtod', () => {
    const m = MGET(M_WAIT, MT_DATA);
    expect(MCLGET(m, M_WAIT)).toBe(m);
    expect(mtod(m).length).toBe(2048);
    expect(m_bytes(m).length).toBe(0);
    m_freem(m);
  });
});

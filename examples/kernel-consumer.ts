/*
 * A kernel consumer of sonfs/sockets, written the way socreate(9) describes and the BSD NFS
 * client (sys/nfs/nfs_socket.c nfs_connect / nfs_send / nfs_receive) does it:
 *
 *   socreate → IP_PORTRANGE_LOW + sobind(INADDR_ANY:0, proc0) for a reserved port → soconnect →
 *   tsleep on so_timeo until SS_ISCONNECTING clears or so_error is set → sosend of an mbuf
 *   chain (a record-marked request built with m_gethdr and M_PREPEND) → soreceive of the 4-byte
 *   record mark and then of the record body as an mbuf chain (mp0, MSG_WAITALL) →
 *   soshutdown(SHUT_RDWR) → soclose.
 *
 * `runKernelConsumer(host, port, payload)` does one exchange with a server that echoes records;
 * `startEchoServer()` is such a server, on the same layer (solisten / soaccept / soreceive with
 * mp0 / sosend of the very chain received). Both return errnos, never throw.
 */
import {
  AF_INET, IP_PORTRANGE, IP_PORTRANGE_DEFAULT, IP_PORTRANGE_LOW, IPPROTO_IP, IPPROTO_TCP, MSG_WAITALL, MT_DATA, M_PKTHDR, M_PREPEND,
  M_WAIT, PSOCK, SHUT_RDWR, SO_KEEPALIVE, SO_SNDBUF, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, SS_ISCONNECTING, TCP_NODELAY, UIO_READ,
  EWOULDBLOCK, SO_RCVBUF, hz, m_freem, m_gethdr, m_length, m_tobuf, m_wrap, mtod, proc0, sobind, soaccept, soclose, soconnect,
  socreate, sockaddr_in, sockaddr_parse, solisten, sooptint, soopttimeval, soreceive, sosend, sosetopt, soshutdown,
  sosockaddr, sbconfig, tsleep, uio_init,
} from '../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../sockets/index.js';

/** RFC 5531 §11 record marking: the last-fragment bit and the fragment length. */
const LAST_FRAG = 0x80000000;

export interface ConsumerResult {
  /** 0, or the errno of the step that failed. */
  error: number;
  /** The local (reserved) port the connection was made from. */
  localPort: number;
  /** The record body received back. */
  reply: Buffer | null;
}

function localport(so: Socket): number {
  const nam: Ref<Mbuf | null> = { value: null };
  if (sosockaddr(so, nam)) return 0;
  const sa = sockaddr_parse(nam.value);
  m_freem(nam.value);
  return sa !== null && 'port' in sa ? sa.port : 0;
}

/** Connect from a reserved port to host:port, send `payload` as one record, read one back. */
export async function runKernelConsumer(host: string, port: number, payload: Buffer): Promise<ConsumerResult> {
  const aso: Ref<Socket | null> = { value: null };
  let error = socreate(AF_INET, aso, SOCK_STREAM, 0);
  if (error) return { error, localPort: 0, reply: null };
  const so = aso.value!;
  const result: ConsumerResult = { error: 0, localPort: 0, reply: null };
  try {
    /* A reserved port, authorised by proc0 (nfs_connect). sosetopt consumes its mbuf. */
    error = sosetopt(so, IPPROTO_IP, IP_PORTRANGE, sooptint(IP_PORTRANGE_LOW));
    if (!error) error = await sobind(so, sockaddr_in('0.0.0.0', 0), proc0);
    if (!error) error = sosetopt(so, IPPROTO_IP, IP_PORTRANGE, sooptint(IP_PORTRANGE_DEFAULT));
    if (!error) error = sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, sooptint(1));
    if (!error) error = sosetopt(so, IPPROTO_TCP, TCP_NODELAY, sooptint(1));
    if (!error) error = sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(5, 0));
    /* A `top` chain is sent atomically, so so_snd must hold a whole request (NFS reserves
     * 2 * (size + header)); so_rcv likewise for a whole reply. */
    const bufsize = Math.min(Math.max(2 * (payload.length + 4), 16384), sbconfig.sb_max);
    if (!error) error = sosetopt(so, SOL_SOCKET, SO_SNDBUF, sooptint(bufsize));
    if (!error) error = sosetopt(so, SOL_SOCKET, SO_RCVBUF, sooptint(bufsize));
    if (error) return { ...result, error };
    result.localPort = localport(so);

    /* soconnect returns at once; sleep on so_timeo in 2 s steps, as nfs_connect does. */
    error = soconnect(so, sockaddr_in(host, port));
    if (error) return { ...result, error };
    for (let waited = 0; so.so_state & SS_ISCONNECTING && so.so_error === 0; waited += 2) {
      const e = await tsleep(so.so_timeo, PSOCK, 'nfscon', 2 * hz);
      if (e !== 0 && e !== EWOULDBLOCK) return { ...result, error: e };
      if (waited >= 30) return { ...result, error: EWOULDBLOCK };
    }
    if (so.so_error) {
      error = so.so_error;
      so.so_error = 0;
      return { ...result, error };
    }

    /* The request: a header mbuf, the payload as external storage (not copied), and the
     * record mark prepended in front (nfs_request / clnt_vc_call). sosend consumes the chain. */
    const head = m_gethdr(M_WAIT, MT_DATA);
    head.m_len = 0;
    head.m_data = head.m_buf.length; /* leave all the room in front for M_PREPEND */
    head.m_next = m_wrap(payload);
    head.m_next.m_flags &= ~M_PKTHDR; /* only the head carries a packet header */
    head.m_pkthdr.len = payload.length;
    const top = M_PREPEND(head, 4, M_WAIT);
    mtod(top).writeUInt32BE((LAST_FRAG | payload.length) >>> 0, 0);
    error = await sosend(so, null, null, top, null, 0);
    if (error) return { ...result, error };

    /* The reply: the 4-byte mark into kernel memory, then the body as an mbuf chain. */
    const mark = Buffer.alloc(4);
    const markuio = uio_init(UIO_READ, [mark]);
    error = await soreceive(so, null, markuio, null, null, { value: MSG_WAITALL });
    if (error) return { ...result, error };
    if (markuio.uio_resid !== 0) return { ...result, error: 32 /* EPIPE: short mark, as nfs_receive */ };
    const len = mark.readUInt32BE(0) & ~LAST_FRAG;
    const bodyuio = uio_init(UIO_READ, []);
    bodyuio.uio_resid = len;
    const mp: Ref<Mbuf | null> = { value: null };
    error = await soreceive(so, null, bodyuio, mp, null, { value: MSG_WAITALL });
    if (!error && (bodyuio.uio_resid !== 0 || m_length(mp.value) !== len)) error = 32; /* EPIPE */
    if (!error) result.reply = Buffer.from(m_tobuf(mp.value)); /* copied: the caller keeps it */
    m_freem(mp.value);
    return { ...result, error };
  } finally {
    soshutdown(so, SHUT_RDWR);
    await soclose(so);
  }
}

export interface EchoServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A server echoing every byte it receives, on 127.0.0.1 (port 0: an ephemeral one): each
 * connection is read as mbuf chains (mp0) and the same chains are sent back (no copy).
 */
export async function startEchoServer(port = 0): Promise<EchoServer | number> {
  const aso: Ref<Socket | null> = { value: null };
  let error = socreate(AF_INET, aso, SOCK_STREAM, 0);
  if (error) return error;
  const listener = aso.value!;
  /* Room in so_snd for any chain received (a `top` chain is sent atomically); children inherit. */
  error = sosetopt(listener, SOL_SOCKET, SO_SNDBUF, sooptint(256 * 1024));
  if (!error) error = await sobind(listener, sockaddr_in('127.0.0.1', port), proc0);
  if (!error) error = await solisten(listener, 16);
  if (error) {
    await soclose(listener);
    return error;
  }
  const conns = new Set<Socket>();
  const serving = new Set<Promise<void>>();
  const serve = async (so: Socket): Promise<void> => {
    for (;;) {
      const uio = uio_init(UIO_READ, []);
      uio.uio_resid = 128 * 1024;
      const mp: Ref<Mbuf | null> = { value: null };
      const e = await soreceive(so, null, uio, mp, null, null);
      if (e || mp.value === null) break; /* error, or EOF */
      if (await sosend(so, null, null, mp.value, null, 0)) break; /* the chain, sent back */
    }
    conns.delete(so);
    await soclose(so);
  };
  const accepting = (async () => {
    for (;;) {
      const a: Ref<Socket | null> = { value: null };
      if (await soaccept(listener, a, null)) return;
      conns.add(a.value!);
      const p = serve(a.value!);
      serving.add(p);
      void p.then(() => serving.delete(p));
    }
  })();
  return {
    port: localport(listener),
    async close() {
      await soclose(listener);
      await accepting;
      for (const so of [...conns]) soshutdown(so, SHUT_RDWR);
      await Promise.all([...serving]);
    },
  };
}

/*
 * UDP over node:dgram (netinet/udp_usrreq.c's part).
 *
 * The host socket is created at the first sobind, soconnect or sosend (so that SO_REUSEADDR /
 * SO_REUSEPORT set before can be given to dgram.createSocket as reuseAddr). soconnect is
 * synchronous as in the kernel: the socket is SS_ISCONNECTED at once, datagrams from other
 * sources are dropped, and the host socket is connected in the background so that ICMP port
 * unreachable reaches us (Node reports it as an 'error' on a connected dgram socket: it becomes
 * ECONNREFUSED in so_error, returned once by the next soreceive or sosend).
 *
 * Sends: each datagram is a record in so_snd until the host's send callback (so a full so_snd
 * makes sosend wait or EWOULDBLOCK); the chain's views go to the host as one scatter/gather
 * send. An error reported by the callback becomes so_error. Receives: each datagram is a record
 * [MT_SONAME sender][MT_CONTROL SCM_TIMESTAMP if SO_TIMESTAMP][data, the host's Buffer
 * wrapped]; one that does not fit so_rcv is dropped (sbappendaddr), counted in sb_drops.
 */
import { Buffer } from 'node:buffer';
import type dgram from 'node:dgram';
import { createRequire } from 'node:module';
import {
  AF_INET6, IPPROTO_UDP, PR_ADDR, PR_ATOMIC, SCM_TIMESTAMP, SO_BROADCAST, SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT,
  SO_SNDBUF, SO_TIMESTAMP, SOCK_DGRAM, SOL_SOCKET, SS_CANTRCVMORE, SS_CANTSENDMORE, SS_ISCONNECTED, UDP_RECVSPACE, UDP_SENDSPACE,
} from '../constants.js';
import {
  EADDRNOTAVAIL, EBADF, EDESTADDRREQ, EINVAL, EISCONN, EMSGSIZE, ENOBUFS, EOPNOTSUPP, errnoFromNodeError,
} from '../errno.js';
import {
  M_PKTHDR, MT_CONTROL, MT_DATA, MT_SONAME, Mbuf, m_freem, m_get, m_gethdr, m_length, m_wrap, m_bytes,
} from '../mbuf.js';
import type { Domain, ProtoUsrreqs, Protosw } from '../protosw.js';
import { nam_check } from '../sockaddr.js';
import { sbappendaddr, sbappendrecord, sbdroprecord } from '../sockbuf.js';
import type { Socket } from '../socket.js';
import { sofreed, sostat, sovalid } from '../socket.js';
import { soisconnected, sorwakeup, sowwakeup } from '../sostate.js';
import type { InAddr } from './inet.js';
import { in_any, in_bindrange, in_nam, in_portcheck, in_sockaddr } from './inet.js';
import { in_ctloutput } from './tcp.js';
import { soreserve } from '../soreserve.js';

const HOST_NONE = 0;
const HOST_CONNECTING = 1;
const HOST_CONNECTED = 2;

export class UdpPcb {
  readonly family: number;
  sock: dgram.Socket | null = null;
  /** The host socket is bound (explicitly or by its first send / connect). */
  bound = false;
  binding = false;
  laddr: InAddr | null = null;
  /** Our connected peer (SS_ISCONNECTED). */
  faddr: InAddr | null = null;
  /** The host socket's connection: HOST_NONE / HOST_CONNECTING / HOST_CONNECTED to hostpeer. */
  hoststate = HOST_NONE;
  hostpeer: InAddr | null = null;
  portrange = 0;
  onSent: ((err: Error | null) => void) | null = null;
  /** SO_RCVBUF / SO_SNDBUF were set by the user: give them to the host socket too. */
  rcvbufset = false;
  sndbufset = false;
  /** Datagrams queued (and counted in so_snd) until the host socket can send them. */
  pending: { m: Mbuf; dst: InAddr }[] = [];
  /** The last sender heard from and its sockaddr bytes (udp_srcaddr). */
  lastsrc: { address: string; port: number; sa: Buffer } | null = null;

  constructor(family: number) {
    this.family = family;
  }
}

function udppcb(so: Socket): UdpPcb {
  return so.so_pcb as UdpPcb;
}

function sameaddr(a: InAddr | null, b: InAddr | null): boolean {
  return a !== null && b !== null && a.address === b.address && a.port === b.port;
}

/* Give the host the options it can only take once bound. */
function applyBound(so: Socket, pcb: UdpPcb): void {
  const s = pcb.sock;
  if (s === null || !pcb.bound) return;
  try {
    s.setBroadcast((so.so_options & SO_BROADCAST) !== 0);
    /* Only sizes the user chose: the defaults (UDP_RECVSPACE...) would shrink the host's. */
    if (pcb.rcvbufset) s.setRecvBufferSize(so.so_rcv.sb_hiwat);
    if (pcb.sndbufset) s.setSendBufferSize(so.so_snd.sb_hiwat);
  } catch {
    /* The host may refuse sizes; sonfs's own buffers still apply. */
  }
}

/* Create the host socket (unbound) with its event wiring. */
/*
 * node:dgram, loaded with the first UDP socket: it costs ~3 ms (21 internal modules), which a
 * process that never makes one — most CLI commands — should not pay at start-up.
 */
let dgramModule: typeof dgram | null = null;
function hostDgram(): typeof dgram {
  dgramModule ??= createRequire(import.meta.url)('node:dgram') as typeof dgram;
  return dgramModule;
}

function udp_newhost(so: Socket, pcb: UdpPcb, withErrors: boolean): dgram.Socket {
  const s = hostDgram().createSocket({
    type: pcb.family === AF_INET6 ? 'udp6' : 'udp4',
    reuseAddr: (so.so_options & (SO_REUSEADDR | SO_REUSEPORT)) !== 0,
    ipv6Only: pcb.family === AF_INET6,
  });
  sostat.host_live++;
  s.on('close', () => sostat.host_live--);
  s.on('listening', () => {
    if (pcb.sock !== s) return;
    pcb.bound = true;
    applyBound(so, pcb);
    udp_hostsync(so, pcb);
    udp_flush(so, pcb);
  });
  s.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    if (pcb.sock !== s || so.so_count <= 0 || so.so_state & SS_CANTRCVMORE) return;
    if (pcb.faddr !== null && pcb.hoststate !== HOST_CONNECTED &&
        (rinfo.address !== pcb.faddr.address || rinfo.port !== pcb.faddr.port)) return;
    const asa = udp_srcaddr(pcb, rinfo.address, rinfo.port);
    const m = m_wrap(msg);
    m.m_flags &= ~M_PKTHDR;
    const control = so.so_options & SO_TIMESTAMP ? timestampcontrol() : null;
    if (sbappendaddr(so.so_rcv, asa, m, control) === 0) {
      m_freem(asa);
      m_freem(control);
      m_freem(m);
      return;
    }
    sorwakeup(so);
  });
  if (withErrors) s.on('error', (err: Error) => udp_error(so, pcb, s, err));
  pcb.sock = s;
  return s;
}

/*
 * The sender address of a received datagram, as a new MT_SONAME mbuf. The host's address string
 * is valid, and a client hears from one peer almost always: the sockaddr bytes of the last sender
 * are kept and copied, rather than parsed and checked for every datagram.
 */
function udp_srcaddr(pcb: UdpPcb, address: string, port: number): Mbuf {
  const last = pcb.lastsrc;
  if (last !== null && last.port === port && last.address === address) {
    const m = m_get(0, MT_SONAME);
    m.m_len = last.sa.length;
    last.sa.copy(m.m_buf, m.m_data);
    return m;
  }
  const m = in_sockaddr(pcb.family, { address, port });
  pcb.lastsrc = { address, port, sa: Buffer.from(m_bytes(m)) };
  return m;
}

function udp_error(so: Socket, pcb: UdpPcb, s: dgram.Socket, err: Error): void {
  if (pcb.sock !== s || sofreed(so)) return;
  so.so_error = errnoFromNodeError(err);
  sorwakeup(so);
  sowwakeup(so);
}

/* An SCM_TIMESTAMP control mbuf: struct timeval of now (CMSG_SPACE(16) bytes). */
function timestampcontrol(): Mbuf {
  const m = m_get(0, MT_CONTROL);
  m.m_len = 32;
  const b = m_bytes(m);
  b.fill(0);
  b.writeUInt32LE(32, 0);
  b.writeInt32LE(SOL_SOCKET, 4);
  b.writeInt32LE(SCM_TIMESTAMP, 8);
  const now = Date.now();
  b.writeBigInt64LE(BigInt(Math.floor(now / 1000)), 16);
  b.writeBigInt64LE(BigInt((now % 1000) * 1000), 24);
  return m;
}

/* Bring the host socket's connection in line with pcb.faddr. */
function udp_hostsync(so: Socket, pcb: UdpPcb): void {
  const s = pcb.sock;
  if (s === null || !pcb.bound || pcb.hoststate === HOST_CONNECTING) return; /* the callback re-syncs */
  if (pcb.hoststate === HOST_CONNECTED) {
    if (sameaddr(pcb.hostpeer, pcb.faddr)) return;
    try {
      s.disconnect();
    } catch {
      /* already disconnected */
    }
    pcb.hoststate = HOST_NONE;
    pcb.hostpeer = null;
  }
  const want = pcb.faddr;
  if (want === null) return;
  pcb.hoststate = HOST_CONNECTING;
  pcb.hostpeer = want;
  try {
    s.connect(want.port, want.address, (err?: Error) => {
      if (pcb.sock !== s || sofreed(so)) return;
      pcb.hoststate = err ? HOST_NONE : HOST_CONNECTED;
      if (err) pcb.hostpeer = null;
      udp_hostsync(so, pcb);
      udp_flush(so, pcb);
    });
  } catch {
    pcb.hoststate = HOST_NONE;
    pcb.hostpeer = null;
  }
}

/* The host socket, bound to the wildcard address and an ephemeral port if it is not yet. */
function udp_autobind(so: Socket, pcb: UdpPcb): dgram.Socket {
  if (pcb.sock !== null) return pcb.sock;
  const s = udp_newhost(so, pcb, true);
  try {
    s.bind({ address: in_any(pcb.family), port: 0, exclusive: true });
  } catch (err) {
    so.so_error = errnoFromNodeError(err);
  }
  return s;
}

/* Send queued datagrams, in order, while the host socket is in a state to send them as asked. */
function udp_flush(so: Socket, pcb: UdpPcb): void {
  const s = pcb.sock;
  if (s === null || !pcb.bound) return;
  while (pcb.pending.length > 0) {
    const { m, dst } = pcb.pending[0]!;
    const connected = pcb.hoststate === HOST_CONNECTED;
    if (pcb.hoststate === HOST_CONNECTING || (connected && !sameaddr(pcb.hostpeer, dst))) return;
    pcb.pending.shift();
    const views: Buffer[] = [];
    for (let n: Mbuf | null = m; n !== null; n = n.m_next) if (n.m_len > 0) views.push(m_bytes(n));
    try {
      if (connected) s.send(views, pcb.onSent!);
      else s.send(views, dst.port, dst.address, pcb.onSent!);
    } catch (err) {
      pcb.onSent!(err as Error);
    }
  }
}

const usrreqs: ProtoUsrreqs = {
  pru_attach(so) {
    const pcb = new UdpPcb(so.so_proto.pr_domain.dom_family);
    so.so_pcb = pcb;
    pcb.onSent = (err: Error | null): void => {
      if (sofreed(so)) return;
      sbdroprecord(so.so_snd);
      if (err) {
        so.so_error = errnoFromNodeError(err);
        sorwakeup(so);
      }
      sowwakeup(so);
    };
    if (soreserve(so, UDP_SENDSPACE, UDP_RECVSPACE)) return ENOBUFS;
    return 0;
  },
  pru_detach(so) {
    const pcb = udppcb(so);
    const s = pcb.sock;
    pcb.sock = null;
    pcb.pending.length = 0;
    if (s !== null) {
      try {
        s.close();
      } catch {
        /* already closed */
      }
    }
    so.so_pcb = null;
  },
  async pru_bind(so, nam, p) {
    const pcb = udppcb(so);
    if (pcb.bound || pcb.binding || pcb.sock !== null) return EINVAL;
    const a = in_nam(nam);
    const error = in_portcheck(a.port, pcb.portrange, p.p_ucred);
    if (error) return error;
    pcb.binding = true;
    try {
      return await in_bindrange(a.port, pcb.portrange, (port) => new Promise<number>((resolve) => {
        const s = udp_newhost(so, pcb, false);
        const onError = (err: Error): void => {
          pcb.sock = null;
          try {
            s.close();
          } catch {
            /* closed */
          }
          resolve(errnoFromNodeError(err));
        };
        s.once('error', onError);
        s.bind({ address: a.address, port, exclusive: true }, () => {
          s.removeListener('error', onError);
          s.on('error', (err: Error) => udp_error(so, pcb, s, err));
          if (!sovalid(so)) {
            resolve(EBADF);
            return;
          }
          pcb.laddr = { address: a.address, port: s.address().port };
          resolve(0);
        });
      }));
    } finally {
      pcb.binding = false;
    }
  },
  async pru_listen() {
    return EOPNOTSUPP;
  },
  pru_connect(so, nam) {
    const pcb = udppcb(so);
    if (pcb.binding) return EINVAL;
    const a = in_nam(nam);
    if (a.port === 0) return EADDRNOTAVAIL;
    pcb.faddr = a;
    udp_autobind(so, pcb);
    soisconnected(so);
    udp_hostsync(so, pcb);
    return 0;
  },
  pru_connect2() {
    return EOPNOTSUPP;
  },
  pru_disconnect(so) {
    const pcb = udppcb(so);
    pcb.faddr = null;
    so.so_state &= ~SS_ISCONNECTED;
    udp_hostsync(so, pcb);
    return 0;
  },
  pru_shutdown(so) {
    so.so_state |= SS_CANTSENDMORE;
    sowwakeup(so);
    return 0;
  },
  pru_rcvd() {
    /* Datagrams are not flow-controlled. */
  },
  pru_send(so, m0, nam, control) {
    const pcb = udppcb(so);
    let m = m0;
    if (control !== null) {
      m_freem(control);
      m_freem(m);
      return EINVAL;
    }
    let dst: InAddr;
    if (nam !== null) {
      if (pcb.faddr !== null) {
        m_freem(m);
        return EISCONN;
      }
      const error = nam_check(nam, pcb.family);
      if (error) {
        m_freem(m);
        return error;
      }
      dst = in_nam(nam);
      if (dst.port === 0) {
        m_freem(m);
        return EADDRNOTAVAIL;
      }
    } else if (pcb.faddr !== null) {
      dst = pcb.faddr;
    } else {
      m_freem(m);
      return EDESTADDRREQ;
    }
    if (m === null) {
      m = m_gethdr(0, MT_DATA);
      m.m_pkthdr.len = 0;
    }
    const len = m_length(m);
    if (len > (pcb.family === AF_INET6 ? 65527 : 65507)) {
      m_freem(m);
      return EMSGSIZE;
    }
    udp_autobind(so, pcb);
    sbappendrecord(so.so_snd, m);
    pcb.pending.push({ m, dst });
    udp_flush(so, pcb);
    return 0;
  },
  pru_abort() {
    /* No connections to abort. */
  },
  pru_sockaddr(so) {
    const pcb = udppcb(so);
    if (pcb.sock !== null && pcb.bound) {
      try {
        const a = pcb.sock.address();
        return in_sockaddr(pcb.family, { address: a.address, port: a.port });
      } catch {
        /* not bound after all */
      }
    }
    return in_sockaddr(pcb.family, pcb.laddr ?? { address: in_any(pcb.family), port: 0 });
  },
  pru_peeraddr(so) {
    const pcb = udppcb(so);
    if (pcb.faddr === null || (so.so_state & SS_ISCONNECTED) === 0) return null;
    return in_sockaddr(pcb.family, pcb.faddr);
  },
  pru_sooptchanged(so, optname) {
    const pcb = udppcb(so);
    if (optname === SO_RCVBUF) pcb.rcvbufset = true;
    if (optname === SO_SNDBUF) pcb.sndbufset = true;
    if (optname === SO_BROADCAST || optname === SO_SNDBUF || optname === SO_RCVBUF) applyBound(so, pcb);
  },
};

function udp_ctloutput(op: number, so: Socket, level: number, optname: number, m: Mbuf): number {
  const pcb = so.so_pcb as UdpPcb | null;
  if (pcb === null) return EINVAL;
  return in_ctloutput(op, pcb, level, optname, m);
}

/** The UDP protosw entry of `dom`. */
export function udp_protosw(dom: Domain): Protosw {
  return { pr_type: SOCK_DGRAM, pr_domain: dom, pr_protocol: IPPROTO_UDP, pr_flags: PR_ATOMIC | PR_ADDR, pr_usrreqs: usrreqs, pr_ctloutput: udp_ctloutput };
}

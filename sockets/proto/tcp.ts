/*
 * TCP over node:net (the parts of netinet/tcp_usrreq.c the socket layer calls).
 *
 * Binding: Node binds a TCP socket only when it listens or connects (`localPort`), so sobind
 * binds a placeholder host server on the address: that reserves the port against every other
 * process, reports EADDRINUSE / EADDRNOTAVAIL / EACCES from the host at sobind, and resolves
 * port 0 to a real port. solisten turns the placeholder into the listener (connections that
 * arrive before solisten are reset, as a BSD host refuses a SYN to a non-listening port).
 * soconnect closes the placeholder and connects from the same address and port at once; the
 * residual race — another process taking the port in between, microseconds — surfaces as
 * EADDRINUSE in so_error. A port held by an established connection (not a listener) is not
 * detected at sobind.
 *
 * Urgent data: Node can neither send nor receive it. sosend(MSG_OOB) is EOPNOTSUPP;
 * soreceive(MSG_OOB) is EINVAL, the kernel's answer when no urgent data has arrived.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  AF_INET, AF_INET6, IP_PORTRANGE, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPV6_PORTRANGE, PR_CONNREQUIRED,
  PR_WANTRCVD, SO_ACCEPTCONN, SO_KEEPALIVE, SOCK_STREAM, SS_CONNECTOUT, SS_ISCONNECTED, TCP_MAXSEG, TCP_MSS,
  TCP_NODELAY, TCP_RECVSPACE, TCP_SENDSPACE, TF_NODELAY,
} from '../constants.js';
import { EBADF, ECONNRESET, EINVAL, ENOBUFS, ENOPROTOOPT, EOPNOTSUPP, errnoFromNodeError } from '../errno.js';
import { Mbuf, m_freem, m_length } from '../mbuf.js';
import type { Proc } from '../proc.js';
import { PRCO_SETOPT } from '../protosw.js';
import type { Domain, ProtoUsrreqs, Protosw } from '../protosw.js';
import type { Socket } from '../socket.js';
import { sovalid } from '../socket.js';
import { soisconnected, soisconnecting, sonewconn } from '../sostate.js';
import { optint_read, optint_write, optlen } from '../optval.js';
import {
  HostStream, hs_attach, hs_socket, hs_detach, hs_disconnect, hs_drop, hs_rcvd, hs_send, hs_serve, hs_shutdown,
} from './hoststream.js';
import type { InAddr } from './inet.js';
import { in_any, in_bindrange, in_nam, in_portcheck, in_sockaddr, tcp_dstcheck } from './inet.js';
import { soreserve } from '../soreserve.js';

export class TcpPcb {
  readonly family: number;
  readonly hs = new HostStream();
  /** Bound local address (sobind or implicit). */
  laddr: InAddr | null = null;
  /** Connected peer. */
  faddr: InAddr | null = null;
  /** A sobind / implicit bind is in progress. */
  binding = false;
  /** IP_PORTRANGE / IPV6_PORTRANGE. */
  portrange = 0;
  /** tcpcb t_flags (TF_NODELAY). */
  t_flags = 0;
  /** Segment size: tcp_mssdflt; not learned from the host (Node cannot read it). */
  t_maxseg = TCP_MSS;

  constructor(family: number) {
    this.family = family;
  }
}

function tcppcb(so: Socket): TcpPcb {
  return so.so_pcb as TcpPcb;
}

function applyHostOptions(so: Socket, pcb: TcpPcb, sock: net.Socket): void {
  if (pcb.t_flags & TF_NODELAY) sock.setNoDelay(true);
  if (so.so_options & SO_KEEPALIVE) sock.setKeepAlive(true);
}

/* A connection arrived on the host server of `head`. */
function tcp_newconn(head: Socket, sock: net.Socket): void {
  const refuse = (): void => {
    sock.resetAndDestroy();
  };
  if (!sovalid(head) || (head.so_options & SO_ACCEPTCONN) === 0) return refuse();
  const so = sonewconn(head);
  if (so === null) return refuse();
  const pcb = tcppcb(so);
  const hpcb = tcppcb(head);
  pcb.t_flags = hpcb.t_flags;
  pcb.laddr = { address: sock.localAddress ?? in_any(pcb.family), port: sock.localPort ?? 0 };
  pcb.faddr = { address: sock.remoteAddress ?? in_any(pcb.family), port: sock.remotePort ?? 0 };
  applyHostOptions(so, pcb, sock);
  hs_attach(so, pcb.hs, sock);
  soisconnected(so);
}

/* Bind `so` on the host at a (port-range rule applied), with the authorising credential. */
async function tcp_bindhost(so: Socket, pcb: TcpPcb, a: InAddr, cred: Proc['p_ucred']): Promise<number> {
  if (pcb.laddr !== null || pcb.binding || pcb.hs.sock !== null) return EINVAL;
  const error = in_portcheck(a.port, pcb.portrange, cred);
  if (error) return error;
  pcb.binding = true;
  try {
    return await in_bindrange(a.port, pcb.portrange, async (port) => {
      const r = await hs_serve(
        { host: a.address, port, exclusive: true, ipv6Only: pcb.family === AF_INET6 },
        (sock) => tcp_newconn(so, sock),
      );
      if (typeof r === 'number') return r;
      if (!sovalid(so)) {
        r.close();
        return EBADF;
      }
      pcb.hs.server = r;
      pcb.laddr = { address: a.address, port: (r.address() as AddressInfo).port };
      return 0;
    });
  } finally {
    pcb.binding = false;
  }
}

const usrreqs: ProtoUsrreqs = {
  pru_attach(so) {
    so.so_pcb = new TcpPcb(so.so_proto.pr_domain.dom_family);
    if (so.so_snd.sb_hiwat === 0 || so.so_rcv.sb_hiwat === 0) {
      if (soreserve(so, TCP_SENDSPACE, TCP_RECVSPACE)) return ENOBUFS;
    }
    return 0;
  },
  pru_detach(so) {
    hs_detach(so, tcppcb(so).hs);
    so.so_pcb = null;
  },
  pru_bind(so, nam, p) {
    return tcp_bindhost(so, tcppcb(so), in_nam(nam), p.p_ucred);
  },
  async pru_listen(so) {
    const pcb = tcppcb(so);
    if (pcb.hs.sock !== null || pcb.binding) return EINVAL;
    if (pcb.laddr === null) {
      /* Implicit bind, authorised by the socket's own credential. */
      const error = await tcp_bindhost(so, pcb, { address: in_any(pcb.family), port: 0 }, so.so_cred);
      if (error) return error;
    }
    return 0;
  },
  pru_connect(so, nam) {
    const pcb = tcppcb(so);
    if (pcb.hs.sock !== null || pcb.hs.gone || pcb.binding) return EINVAL;
    const a = in_nam(nam);
    const error = tcp_dstcheck(pcb.family, a);
    if (error) return error;
    const local = pcb.laddr;
    const sock = hs_socket(pcb.hs);
    applyHostOptions(so, pcb, sock);
    const opts: net.TcpSocketConnectOpts = { host: a.address, port: a.port, family: pcb.family === AF_INET6 ? 6 : 4 };
    if (local !== null) {
      opts.localAddress = local.address;
      opts.localPort = local.port;
    }
    if (pcb.hs.server !== null) {
      /* Free the placeholder's port (its fd closes now) for the connect to bind it. */
      pcb.hs.server.close();
      pcb.hs.server = null;
    }
    try {
      sock.connect(opts);
    } catch (err) {
      sock.destroy();
      return errnoFromNodeError(err);
    }
    hs_attach(so, pcb.hs, sock);
    pcb.faddr = a;
    soisconnecting(so);
    so.so_state |= SS_CONNECTOUT;
    return 0;
  },
  pru_connect2() {
    return EOPNOTSUPP;
  },
  pru_disconnect(so) {
    return hs_disconnect(so, tcppcb(so).hs);
  },
  pru_shutdown(so) {
    return hs_shutdown(so, tcppcb(so).hs);
  },
  pru_rcvd(so) {
    hs_rcvd(so, tcppcb(so).hs);
  },
  pru_send(so, m, nam, control) {
    if (control !== null) {
      const clen = m_length(control);
      m_freem(control);
      if (clen > 0) {
        m_freem(m);
        return EINVAL;
      }
    }
    if (m === null) return 0;
    return hs_send(so, tcppcb(so).hs, m);
  },
  pru_abort(so) {
    hs_drop(so, tcppcb(so).hs);
  },
  pru_drop(so) {
    hs_drop(so, tcppcb(so).hs);
  },
  pru_sockaddr(so) {
    const pcb = tcppcb(so);
    const sock = pcb.hs.sock;
    if (sock !== null && sock.localPort !== undefined && sock.localAddress !== undefined) {
      return in_sockaddr(pcb.family, { address: sock.localAddress, port: sock.localPort });
    }
    return in_sockaddr(pcb.family, pcb.laddr ?? { address: in_any(pcb.family), port: 0 });
  },
  pru_peeraddr(so) {
    const pcb = tcppcb(so);
    if (pcb.faddr === null || (so.so_state & SS_ISCONNECTED) === 0) return null;
    return in_sockaddr(pcb.family, pcb.faddr);
  },
  pru_sooptchanged(so, optname) {
    const sock = tcppcb(so).hs.sock;
    if (optname === SO_KEEPALIVE && sock !== null && !sock.destroyed) sock.setKeepAlive((so.so_options & SO_KEEPALIVE) !== 0);
  },
};

/**
 * tcp_ctloutput: IPPROTO_TCP (TCP_NODELAY, TCP_MAXSEG) and, by family, IPPROTO_IP /
 * IPPROTO_IPV6 (IP_PORTRANGE / IPV6_PORTRANGE). After the connection is gone (reset, refused,
 * closed by the host) every option is ECONNRESET, as with a freed tcpcb.
 */
function tcp_ctloutput(op: number, so: Socket, level: number, optname: number, m: Mbuf): number {
  const pcb = so.so_pcb as TcpPcb | null;
  if (pcb === null || pcb.hs.gone) return ECONNRESET;
  if (level !== IPPROTO_TCP) return in_ctloutput(op, pcb, level, optname, m);
  if (op === PRCO_SETOPT) {
    if (optlen(m) < 4) return EINVAL;
    const v = optint_read(m);
    switch (optname) {
      case TCP_NODELAY:
        if (v) pcb.t_flags |= TF_NODELAY;
        else pcb.t_flags &= ~TF_NODELAY;
        if (pcb.hs.sock !== null && !pcb.hs.sock.destroyed) pcb.hs.sock.setNoDelay(v !== 0);
        return 0;
      case TCP_MAXSEG:
        if (v > 0 && v <= pcb.t_maxseg) {
          pcb.t_maxseg = v;
          return 0;
        }
        return EINVAL;
      default:
        return ENOPROTOOPT;
    }
  }
  m.m_len = 4;
  switch (optname) {
    case TCP_NODELAY:
      optint_write(m, pcb.t_flags & TF_NODELAY);
      return 0;
    case TCP_MAXSEG:
      optint_write(m, pcb.t_maxseg);
      return 0;
    default:
      return ENOPROTOOPT;
  }
}

/** ip_ctloutput / ip6_ctloutput subset: the port range of the next implicit bind. */
export function in_ctloutput(op: number, pcb: { family: number; portrange: number }, level: number, optname: number, m: Mbuf): number {
  const ok = (pcb.family === AF_INET && level === IPPROTO_IP && optname === IP_PORTRANGE) ||
    (pcb.family === AF_INET6 && level === IPPROTO_IPV6 && optname === IPV6_PORTRANGE);
  if (!ok) return ENOPROTOOPT;
  if (op === PRCO_SETOPT) {
    if (optlen(m) < 4) return EINVAL;
    const v = optint_read(m);
    if (v < 0 || v > 2) return EINVAL;
    pcb.portrange = v;
    return 0;
  }
  m.m_len = 4;
  optint_write(m, pcb.portrange);
  return 0;
}

/** The TCP protosw entry of `dom`. */
export function tcp_protosw(dom: Domain): Protosw {
  return { pr_type: SOCK_STREAM, pr_domain: dom, pr_protocol: IPPROTO_TCP, pr_flags: PR_CONNREQUIRED | PR_WANTRCVD, pr_usrreqs: usrreqs, pr_ctloutput: tcp_ctloutput };
}


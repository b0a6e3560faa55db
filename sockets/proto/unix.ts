/*
 * AF_LOCAL (kern/uipc_usrreq.c's part): two kinds of local socket.
 *
 * 1. Streams named by filesystem paths, over node:net: sobind listens on the path (creating
 *    the socket file, EADDRINUSE if it exists), solisten accepts, soconnect connects to any
 *    process's socket (socat, nc -U, another Node). Control data cannot cross the host:
 *    sosend with control on such a socket is EOPNOTSUPP. Node cannot bind a connecting socket,
 *    so a name bound before soconnect is not the connection's local name. The host removes the
 *    socket file when the listener is closed (BSD leaves it).
 * 2. In-process pairs (socketpair / soconnect2) of SOCK_STREAM, SOCK_SEQPACKET or SOCK_DGRAM:
 *    a send appends straight to the peer's so_rcv, as uipc_usrreq does, so SCM_RIGHTS (Socket
 *    objects) and SCM_CREDS travel with the data. Stream flow control mirrors the peer's receive
 *    buffer in the sender's so_snd counters (OpenBSD's unp rule); a datagram that does not fit
 *    the peer is ENOBUFS. SOCK_SEQPACKET marks each send as a record (M_EOR, reported as
 *    MSG_EOR). AF_LOCAL datagram and seqpacket sockets have no host and no names: sobind,
 *    solisten, soconnect and addressed sends are EOPNOTSUPP.
 */
import fs from 'node:fs';
import net from 'node:net';
import {
  PR_ADDR, PR_ATOMIC, PR_CONNREQUIRED, PR_RIGHTS, PR_WANTRCVD, SO_ACCEPTCONN, SOCK_DGRAM, SOCK_SEQPACKET,
  SOCK_STREAM, SS_CANTSENDMORE, SS_CONNECTOUT, SS_ISCONNECTED, UNPDG_RECVSPACE, UNPDG_SENDSPACE, UNPST_RECVSPACE,
  UNPST_SENDSPACE,
} from '../constants.js';
import { unp_internalize, unp_rollback } from '../control.js';
import {
  EBADF, ECONNRESET, EINVAL, EISCONN, ENOBUFS, ENOTCONN, ENOTSOCK, EOPNOTSUPP, EPROTOTYPE, errnoFromNodeError,
} from '../errno.js';
import { M_EOR, Mbuf, m_freem, m_length } from '../mbuf.js';
import type { Domain, ProtoUsrreqs, Protosw } from '../protosw.js';
import { sockaddr_parse, sockaddr_un } from '../sockaddr.js';
import { sbappendaddr, sbappendcontrol, sbappendrecord, sbappendstream } from '../sockbuf.js';
import type { Socket } from '../socket.js';
import { sofreed, sovalid } from '../socket.js';
import {
  socantrcvmore, socantsendmore, soisconnected, soisconnecting, soisdisconnected, sonewconn, sorwakeup, sowwakeup,
} from '../sostate.js';
import {
  HostStream, hs_attach, hs_socket, hs_detach, hs_disconnect, hs_drop, hs_rcvd, hs_send, hs_serve, hs_shutdown,
} from './hoststream.js';
import { soreserve } from '../soreserve.js';

/** struct sockpeercred's values for SO_PEERCRED. */
export interface PeerCred {
  uid: number;
  gid: number;
  pid: number;
}

export class UnpPcb {
  /** In-process peer (a pair), or for datagrams the socket sends go to. */
  conn: Socket | null = null;
  /** Datagram sockets connected to this one (told when it goes away). */
  refs: Socket[] = [];
  /** Host-backed stream (path names). */
  hs: HostStream | null = null;
  /** Bound path. */
  path: string | null = null;
  /** Path connected to (host streams). */
  peerpath: string | null = null;
  binding = false;
  /** The peer's credential, recorded at connect time (in-process pairs only). */
  peercred: PeerCred | null = null;
}

function unppcb(so: Socket): UnpPcb {
  return so.so_pcb as UnpPcb;
}

/* The sender address of a datagram: the bound path, or the unnamed address. */
function unp_name(pcb: UnpPcb): Mbuf {
  return sockaddr_un(pcb.path ?? '');
}

function unp_pathof(nam: Mbuf): string {
  const sa = sockaddr_parse(nam);
  return sa !== null && 'path' in sa ? sa.path : '';
}

/* A connection arrived on a path listener. */
function unp_newconn(head: Socket, sock: net.Socket): void {
  if (!sovalid(head) || (head.so_options & SO_ACCEPTCONN) === 0) {
    sock.destroy();
    return;
  }
  const so = sonewconn(head);
  if (so === null) {
    sock.destroy();
    return;
  }
  const pcb = unppcb(so);
  pcb.hs = new HostStream();
  hs_attach(so, pcb.hs, sock);
  soisconnected(so);
}

/* unp_disconnect: break an in-process connection. */
function unp_disconnect(so: Socket): void {
  const pcb = unppcb(so);
  const so2 = pcb.conn;
  if (so2 === null) return;
  pcb.conn = null;
  if (so.so_type === SOCK_DGRAM) {
    const refs = unppcb(so2).refs;
    const i = refs.indexOf(so);
    if (i >= 0) refs.splice(i, 1);
    so.so_state &= ~SS_ISCONNECTED;
    return;
  }
  const pcb2 = so2.so_pcb as UnpPcb | null;
  if (pcb2 !== null) pcb2.conn = null;
  soisdisconnected(so);
  if (!sofreed(so2)) soisdisconnected(so2);
}

/* Mirror the peer's receive buffer in the sender's send buffer (stream flow control). */
function unp_mirror(so: Socket, so2: Socket): void {
  so.so_snd.sb_cc = so2.so_rcv.sb_cc;
  so.so_snd.sb_mbcnt = so2.so_rcv.sb_mbcnt;
}

function reserve(so: Socket): number {
  if (so.so_snd.sb_hiwat !== 0 && so.so_rcv.sb_hiwat !== 0) return 0;
  const dgram = so.so_type === SOCK_DGRAM;
  return soreserve(so, dgram ? UNPDG_SENDSPACE : UNPST_SENDSPACE, dgram ? UNPDG_RECVSPACE : UNPST_RECVSPACE)
    ? ENOBUFS
    : 0;
}

/* Send on an in-process pair. Owns m and control. */
function unp_pairsend(so: Socket, pcb: UnpPcb, m: Mbuf | null, nam: Mbuf | null, control: Mbuf | null): number {
  const fail = (error: number): number => {
    m_freem(m);
    m_freem(control);
    return error;
  };
  if (nam !== null) return fail(so.so_type === SOCK_DGRAM && pcb.conn === null ? EOPNOTSUPP : EISCONN);
  const so2 = pcb.conn;
  if (so2 === null || sofreed(so2)) return fail(ENOTCONN);
  if (control !== null) {
    const error = unp_internalize(control, so);
    if (error) return fail(error);
  }
  const rcv = so2.so_rcv;
  if (so.so_type === SOCK_DGRAM) {
    const asa = unp_name(pcb);
    if (sbappendaddr(rcv, asa, m, control) === 0) {
      m_freem(asa);
      unp_rollback(control);
      return fail(ENOBUFS);
    }
    sorwakeup(so2);
    return 0;
  }
  if (so.so_type === SOCK_SEQPACKET && m !== null) {
    let last = m;
    while (last.m_next !== null) last = last.m_next;
    last.m_flags |= M_EOR;
  }
  if (control !== null) {
    if (sbappendcontrol(rcv, m, control) === 0) {
      unp_rollback(control);
      return fail(ENOBUFS);
    }
  } else if (m !== null) {
    if (so.so_type === SOCK_SEQPACKET) sbappendrecord(rcv, m);
    else if (m_length(m) > 0) sbappendstream(rcv, m);
    else m_freem(m);
  }
  unp_mirror(so, so2);
  sorwakeup(so2);
  return 0;
}

const usrreqs: ProtoUsrreqs = {
  pru_attach(so) {
    so.so_pcb = new UnpPcb();
    return reserve(so);
  },
  pru_detach(so) {
    const pcb = unppcb(so);
    if (pcb.hs !== null) hs_detach(so, pcb.hs);
    unp_disconnect(so);
    for (const ref of [...pcb.refs]) {
      /* unp_drop: datagram senders connected to us lose their peer. */
      const rp = ref.so_pcb as UnpPcb | null;
      if (rp !== null) rp.conn = null;
      ref.so_error = ECONNRESET;
      ref.so_state &= ~SS_ISCONNECTED;
      sorwakeup(ref);
      sowwakeup(ref);
    }
    pcb.refs.length = 0;
    so.so_pcb = null;
  },
  async pru_bind(so, nam) {
    const pcb = unppcb(so);
    const path = unp_pathof(nam);
    if (path === '') return EINVAL;
    if (so.so_type !== SOCK_STREAM) return EOPNOTSUPP;
    if (pcb.path !== null || pcb.binding || pcb.conn !== null || pcb.hs !== null) return EINVAL;
    pcb.binding = true;
    const hs = new HostStream();
    try {
      const r = await hs_serve({ path, exclusive: true }, (sock) => unp_newconn(so, sock));
      if (typeof r === 'number') return r;
      if (!sovalid(so)) {
        r.close();
        return EBADF;
      }
      hs.server = r;
      pcb.hs = hs;
      pcb.path = path;
      return 0;
    } finally {
      pcb.binding = false;
    }
  },
  async pru_listen(so) {
    const pcb = unppcb(so);
    if (so.so_type !== SOCK_STREAM) return EOPNOTSUPP;
    if (pcb.hs === null || pcb.hs.server === null) return EINVAL;
    return 0;
  },
  pru_connect(so, nam) {
    const pcb = unppcb(so);
    if (so.so_type !== SOCK_STREAM) return EOPNOTSUPP;
    if (pcb.conn !== null || pcb.binding || (pcb.hs !== null && (pcb.hs.sock !== null || pcb.hs.gone))) return EINVAL;
    const path = unp_pathof(nam);
    if (path === '') return EINVAL;
    try {
      if (!fs.statSync(path).isSocket()) return ENOTSOCK;
    } catch (err) {
      return errnoFromNodeError(err);
    }
    const hs = pcb.hs ?? new HostStream();
    const sock = hs_socket(hs);
    try {
      sock.connect({ path });
    } catch (err) {
      sock.destroy();
      return errnoFromNodeError(err);
    }
    pcb.hs = hs;
    if (pcb.hs.server !== null) {
      pcb.hs.server.close();
      pcb.hs.server = null;
      pcb.path = null;
    }
    hs_attach(so, pcb.hs, sock);
    pcb.peerpath = path;
    soisconnecting(so);
    so.so_state |= SS_CONNECTOUT;
    return 0;
  },
  pru_connect2(so, so2) {
    const pcb = unppcb(so);
    const pcb2 = so2.so_pcb as UnpPcb | null;
    if (pcb2 === null) return EINVAL;
    if (so2.so_type !== so.so_type) return EPROTOTYPE;
    if (pcb.hs !== null || pcb2.hs !== null) return EOPNOTSUPP;
    if (pcb.conn !== null) return EISCONN;
    pcb.conn = so2;
    pcb.peercred = { uid: so2.so_cred.cr_uid, gid: so2.so_cred.cr_gid, pid: so2.so_cpid };
    if (so.so_type === SOCK_DGRAM) {
      pcb2.refs.push(so);
      soisconnected(so);
      return 0;
    }
    if (pcb2.conn !== null) {
      pcb.conn = null;
      pcb.peercred = null;
      return EISCONN;
    }
    pcb2.conn = so;
    pcb2.peercred = { uid: so.so_cred.cr_uid, gid: so.so_cred.cr_gid, pid: so.so_cpid };
    soisconnected(so);
    soisconnected(so2);
    return 0;
  },
  pru_disconnect(so) {
    const pcb = unppcb(so);
    if (pcb.hs !== null) return hs_disconnect(so, pcb.hs);
    unp_disconnect(so);
    return 0;
  },
  pru_shutdown(so) {
    const pcb = unppcb(so);
    if (pcb.hs !== null) return hs_shutdown(so, pcb.hs);
    if (so.so_state & SS_CANTSENDMORE) return 0;
    socantsendmore(so);
    const so2 = pcb.conn;
    if (so.so_type !== SOCK_DGRAM && so2 !== null && !sofreed(so2)) socantrcvmore(so2);
    return 0;
  },
  pru_rcvd(so) {
    const pcb = unppcb(so);
    if (pcb.hs !== null) {
      hs_rcvd(so, pcb.hs);
      return;
    }
    const so2 = pcb.conn;
    if (so.so_type === SOCK_DGRAM || so2 === null || sofreed(so2)) return;
    unp_mirror(so2, so);
    sowwakeup(so2);
  },
  pru_send(so, m, nam, control) {
    const pcb = unppcb(so);
    if (pcb.hs !== null) {
      if (control !== null) {
        m_freem(control);
        m_freem(m);
        return EOPNOTSUPP;
      }
      if (nam !== null) {
        m_freem(m);
        return EISCONN;
      }
      if (m === null) return 0;
      return hs_send(so, pcb.hs, m);
    }
    return unp_pairsend(so, pcb, m, nam, control);
  },
  pru_abort(so) {
    const pcb = unppcb(so);
    if (pcb.hs !== null) hs_drop(so, pcb.hs);
    else unp_disconnect(so);
  },
  pru_drop(so) {
    const pcb = unppcb(so);
    if (pcb.hs !== null) hs_drop(so, pcb.hs);
    else unp_disconnect(so);
  },
  pru_sockaddr(so) {
    return sockaddr_un(unppcb(so).path ?? '');
  },
  pru_peeraddr(so) {
    const pcb = unppcb(so);
    if ((so.so_state & SS_ISCONNECTED) === 0) return null;
    if (pcb.conn !== null) {
      const p2 = pcb.conn.so_pcb as UnpPcb | null;
      return sockaddr_un(p2?.path ?? '');
    }
    return sockaddr_un(pcb.peerpath ?? '');
  },
};

/** SO_PEERCRED for an AF_LOCAL socket: the peer's ids, or an errno. */
export function unp_peercred(so: Socket): PeerCred | number {
  const pcb = so.so_pcb as UnpPcb | null;
  if (pcb === null) return EINVAL;
  if (pcb.hs !== null) return EOPNOTSUPP; /* the host does not tell Node the peer's ids */
  if (pcb.peercred === null || (so.so_state & SS_ISCONNECTED) === 0) return ENOTCONN;
  return pcb.peercred;
}

/** The AF_LOCAL protosw entries of `dom`. */
export function unix_protosws(dom: Domain): Protosw[] {
  return [
    { pr_type: SOCK_STREAM, pr_domain: dom, pr_protocol: 0, pr_flags: PR_CONNREQUIRED | PR_WANTRCVD | PR_RIGHTS, pr_usrreqs: usrreqs, pr_ctloutput: null },
    { pr_type: SOCK_SEQPACKET, pr_domain: dom, pr_protocol: 0, pr_flags: PR_ATOMIC | PR_CONNREQUIRED | PR_WANTRCVD | PR_RIGHTS, pr_usrreqs: usrreqs, pr_ctloutput: null },
    { pr_type: SOCK_DGRAM, pr_domain: dom, pr_protocol: 0, pr_flags: PR_ATOMIC | PR_ADDR | PR_RIGHTS, pr_usrreqs: usrreqs, pr_ctloutput: null },
  ];
}

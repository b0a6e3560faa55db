/*
 * The replay pseudo-protocol: TCP and UDP sockets whose peer is a recorded session.
 *
 * While a replay is installed (replay_hook, as an instrumentation's `replay`: instrument.ts),
 * socreate gives every AF_INET and AF_INET6 stream or datagram socket this protocol instead of
 * the host's. The socket layer above
 * it runs unchanged — sosend, soreceive, sleeps, upcalls — and the protocol answers as the
 * recording says the network did: sobind gets the recorded result and local address, soconnect
 * the recorded outcome (asynchronously, as a real connect), and each pru_send is checked against
 * the next recorded send of that socket before the bytes the recording received after it are
 * delivered (asynchronously, in recorded order, gated on the sends that preceded them). No host
 * socket is ever opened.
 *
 * What the recording says is behind the ReplayScript interface (trace/replay.ts implements it
 * from a trace file). A script reports a divergence itself; the protocol then answers the
 * socket with the errno the script returns (ECONNRESET on sends, ECONNREFUSED on connects), so
 * callers fail rather than wait.
 */
import {
  AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP, PR_ADDR, PR_ATOMIC, PR_CONNREQUIRED, SOCK_DGRAM, SOCK_STREAM, SS_ISCONNECTED,
  TCP_RECVSPACE, TCP_SENDSPACE, UDP_RECVSPACE, UDP_SENDSPACE,
} from '../constants.js';
import { EINVAL, ENOBUFS, EOPNOTSUPP } from '../errno.js';
import type { SoReplay } from '../ktrace.js';
import { MT_DATA, Mbuf, m_freem, m_tobuf, m_wrap } from '../mbuf.js';
import { optint_write } from '../optval.js';
import { PRCO_GETOPT, pffinddomain } from '../protosw.js';
import type { Domain, ProtoUsrreqs, Protosw } from '../protosw.js';
import { sockaddr_in, sockaddr_in6, sockaddr_parse } from '../sockaddr.js';
import type { SockaddrParsed } from '../sockaddr.js';
import { sbappendaddr, sbappendstream } from '../sockbuf.js';
import type { Socket } from '../socket.js';
import { sovalid } from '../socket.js';
import {
  socantrcvmore, soisconnected, soisconnecting, soisdisconnected, sorwakeup, sowwakeup,
} from '../sostate.js';
import { soreserve } from '../soreserve.js';

/** An address as the script sees it. */
export interface ReplayAddr {
  address: string;
  port: number;
}

/** What the recorded peer does next on a socket. */
export type ReplayDelivery =
  | { kind: 'data'; data: Buffer; from: ReplayAddr | null }
  | { kind: 'eof' }
  | { kind: 'error'; error: number };

/** The recorded session, socket by socket (trace/replay.ts). Its methods never throw. */
export interface ReplayScript {
  /** A new socket: bind it to the next recorded socket of this family and type. 0 or errno. */
  attach(so: Socket, family: number, type: number): number;
  /** sobind: the recorded result and the local address then bound (null: unknown). */
  bind(so: Socket, nam: SockaddrParsed | null): { error: number; local: ReplayAddr | null };
  /**
   * soconnect to nam: `error` is returned at once; `outcome` is what follows for a stream
   * (0: connected, an errno: failed, null: nothing recorded — the connection stays pending).
   */
  connect(so: Socket, nam: SockaddrParsed | null): { error: number; outcome: number | null };
  /** pru_send of `data` (to `nam`, datagrams): 0 if it is the recorded send, else an errno. */
  send(so: Socket, data: Buffer, nam: SockaddrParsed | null): number;
  /** What the recording received that is now due on this socket (consumed by this call). */
  due(so: Socket): ReplayDelivery[];
  /** The socket is gone. */
  detach(so: Socket): void;
}

class ReplayPcb {
  laddr: ReplayAddr | null = null;
  faddr: ReplayAddr | null = null;
  scheduled = false;
  constructor(readonly family: number, readonly script: ReplayScript) {}
}

function rpcb(so: Socket): ReplayPcb {
  return so.so_pcb as ReplayPcb;
}

function addrOf(sa: SockaddrParsed | null): ReplayAddr | null {
  return sa !== null && 'port' in sa ? { address: sa.address, port: sa.port } : null;
}

function sockaddr(family: number, a: ReplayAddr | null): Mbuf | null {
  if (a === null) return null;
  try {
    return family === AF_INET6 ? sockaddr_in6(a.address, a.port) : sockaddr_in(a.address, a.port);
  } catch {
    return null;
  }
}

/* Deliver what is due, at the next turn (as host events arrive). */
function schedule(so: Socket): void {
  const pcb = rpcb(so);
  if (pcb.scheduled) return;
  pcb.scheduled = true;
  setImmediate(() => {
    pcb.scheduled = false;
    if (!sovalid(so) || so.so_pcb !== pcb) return;
    deliver(so, pcb);
  });
}

function deliver(so: Socket, pcb: ReplayPcb): void {
  const stream = so.so_type === SOCK_STREAM;
  for (const d of pcb.script.due(so)) {
    if (!sovalid(so)) return;
    if (d.kind === 'data') {
      if (d.data.length === 0) continue;
      const m = m_wrap(Buffer.from(d.data), MT_DATA);
      if (stream) {
        sbappendstream(so.so_rcv, m);
      } else {
        const from = sockaddr(pcb.family, d.from ?? pcb.faddr) ?? sockaddr(pcb.family, { address: '0.0.0.0', port: 0 })!;
        if (!sbappendaddr(so.so_rcv, from, m, null)) {
          m_freem(from);
          m_freem(m);
          continue;
        }
      }
      sorwakeup(so);
    } else if (d.kind === 'eof') {
      socantrcvmore(so);
    } else {
      so.so_error = d.error;
      if (stream) soisdisconnected(so);
      else {
        sorwakeup(so);
        sowwakeup(so);
      }
    }
  }
}

function usrreqs(family: number, type: number, script: ReplayScript): ProtoUsrreqs {
  const stream = type === SOCK_STREAM;
  return {
    pru_attach(so) {
      const error = script.attach(so, family, type);
      if (error) return error;
      so.so_pcb = new ReplayPcb(family, script);
      if (so.so_snd.sb_hiwat === 0 || so.so_rcv.sb_hiwat === 0) {
        const [snd, rcv] = stream ? [TCP_SENDSPACE, TCP_RECVSPACE] : [UDP_SENDSPACE, UDP_RECVSPACE];
        if (soreserve(so, snd, rcv)) return ENOBUFS;
      }
      return 0;
    },
    pru_detach(so) {
      if (so.so_pcb === null) return;
      script.detach(so);
      so.so_pcb = null;
    },
    pru_bind(so, nam) {
      const pcb = rpcb(so);
      if (pcb.laddr !== null) return Promise.resolve(EINVAL);
      const sa = sockaddr_parse(nam);
      const r = script.bind(so, sa);
      if (r.error === 0) pcb.laddr = r.local ?? addrOf(sa);
      return Promise.resolve(r.error);
    },
    pru_listen() {
      return Promise.resolve(EOPNOTSUPP);
    },
    pru_connect(so, nam) {
      const pcb = rpcb(so);
      const sa = sockaddr_parse(nam);
      const r = script.connect(so, sa);
      if (r.error) return r.error;
      pcb.faddr = addrOf(sa);
      if (!stream) {
        soisconnected(so);
        schedule(so);
        return 0;
      }
      soisconnecting(so);
      const outcome = r.outcome;
      if (outcome !== null) {
        setImmediate(() => {
          if (!sovalid(so) || so.so_pcb !== pcb) return;
          if (outcome === 0) {
            soisconnected(so);
            deliver(so, pcb);
          } else {
            so.so_error = outcome;
            soisdisconnected(so);
          }
        });
      }
      return 0;
    },
    pru_connect2() {
      return EOPNOTSUPP;
    },
    pru_disconnect(so) {
      if (stream) soisdisconnected(so);
      else {
        rpcb(so).faddr = null;
        so.so_state &= ~SS_ISCONNECTED;
      }
      return 0;
    },
    pru_shutdown() {
      return 0;
    },
    pru_rcvd() {
      /* no flow control toward a recording */
    },
    pru_send(so, m, nam, control) {
      m_freem(control);
      const data = m === null ? Buffer.alloc(0) : Buffer.from(m_tobuf(m));
      m_freem(m);
      const error = script.send(so, data, nam === null ? null : sockaddr_parse(nam));
      if (error) return error;
      schedule(so);
      return 0;
    },
    pru_abort(so) {
      soisdisconnected(so);
    },
    pru_sockaddr(so) {
      const pcb = rpcb(so);
      return sockaddr(family, pcb.laddr ?? { address: family === AF_INET6 ? '::' : '0.0.0.0', port: 0 });
    },
    pru_peeraddr(so) {
      return sockaddr(family, rpcb(so).faddr);
    },
    pru_drop(so) {
      soisdisconnected(so);
    },
  };
}

/* Options: all accepted (nothing on a host to apply them to); reads answer 0. */
function ctloutput(op: number, _so: Socket, _level: number, _optname: number, m: Mbuf): number {
  if (op === PRCO_GETOPT) {
    m.m_len = 4;
    optint_write(m, 0, 0);
  }
  return 0;
}

function protosw(dom: Domain, type: number, script: ReplayScript): Protosw {
  const stream = type === SOCK_STREAM;
  return {
    pr_type: type,
    pr_domain: dom,
    pr_protocol: stream ? IPPROTO_TCP : IPPROTO_UDP,
    pr_flags: stream ? PR_CONNREQUIRED : PR_ATOMIC | PR_ADDR,
    pr_usrreqs: usrreqs(dom.dom_family, type, script),
    pr_ctloutput: ctloutput,
  };
}

/**
 * The replay hook that makes `script` the peer of every new inet stream and datagram socket, for
 * an instrumentation object's `replay` (instrument.ts): from so_instrument to so_uninstrument.
 * Sockets made before keep their protocol.
 */
export function replay_hook(script: ReplayScript): SoReplay {
  const table = new Map<string, Protosw>();
  const hook: SoReplay = {
    protosw(dom, type, proto) {
      if ((dom !== AF_INET && dom !== AF_INET6) || (type !== SOCK_STREAM && type !== SOCK_DGRAM)) return null;
      if (proto !== 0 && proto !== (type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP)) return null;
      const key = `${dom}/${type}`;
      let pr = table.get(key);
      if (pr === undefined) {
        const d = pffinddomain(dom);
        if (d === null) return null;
        pr = protosw(d, type, script);
        table.set(key, pr);
      }
      return pr;
    },
  };
  return hook;
}

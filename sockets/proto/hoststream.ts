/*
 * A connected byte stream backed by a host node:net socket: the input and output halves of TCP
 * and of path-based AF_LOCAL streams (the rest of each protocol is in tcp.ts / unix.ts).
 *
 * Input (the kernel's tcp_input → sbappendstream → sorwakeup): each host 'data' chunk becomes
 * one read-only mbuf wrapping the chunk (no copy) appended to so_rcv. When so_rcv is full
 * (sb_cc ≥ sb_hiwat, or storage ≥ sb_mbmax) the host socket is paused, so the peer's TCP window
 * closes; pru_rcvd (soreceive draining the buffer) resumes it. 'end' is socantrcvmore, an
 * error sets so_error and soisdisconnected, 'close' releases the handle.
 *
 * Output (PRU_SEND → sbappendstream(so_snd) → tcp_output): the chain's mbufs stay in so_snd,
 * counted, while the host writes their views (corked into one writev when there are several);
 * when Node's write callback reports the bytes taken, they are dropped from so_snd (freeing the
 * mbufs, running MEXTADD free routines) and sowwakeup lets blocked senders go on. One callback
 * per chain, one bound function per connection: no allocation per mbuf.
 *
 * After soclose the connection is orphaned as a kernel's is: our FIN goes out after the queued
 * data, incoming data is discarded, the handle is unref'd (it does not keep the process alive)
 * and destroyed when the FIN is out, or after ORPHAN_TIMEOUT_MS at the latest.
 */
import net from 'node:net';
import { SS_CANTRCVMORE, SS_CANTSENDMORE, SS_ISDISCONNECTED, SS_ISDISCONNECTING } from '../constants.js';
import { errnoFromNodeError, EPIPE } from '../errno.js';
import { M_PKTHDR, Mbuf, m_freem, m_wrap, mtod } from '../mbuf.js';
import { Sockbuf, sbappendstream, sbdetach, sbdrop } from '../sockbuf.js';
import type { Socket } from '../socket.js';
import { sofreed, sostat } from '../socket.js';
import { socantrcvmore, socantsendmore, soisconnected, soisdisconnected, soisdisconnecting, sorwakeup, sowwakeup } from '../sostate.js';

/** How long an orphaned connection may take to get its FIN out before it is destroyed. */
export const ORPHAN_TIMEOUT_MS = 60_000;

export class HostStream {
  sock: net.Socket | null = null;
  /** Bound (placeholder) or listening server. */
  server: net.Server | null = null;
  /** Host reads paused because so_rcv is full. */
  paused = false;
  /** Byte counts of writes not yet taken by the host, in order. */
  writeq: number[] = [];
  /** The send buffer write callbacks drain: so_snd, or a private one once orphaned. */
  snd: Sockbuf | null = null;
  /** Our FIN is out (the host's 'finish'). */
  finished = false;
  /** The host connection is over ('close'). */
  gone = false;
  /** soclose has released the connection to run down on its own. */
  orphaned = false;
  onWritten: ((err?: Error | null) => void) | null = null;
}

function release(sb: Sockbuf): void {
  let rec = sbdetach(sb);
  while (rec !== null) {
    const next: Mbuf | null = rec.m_nextpkt;
    rec.m_nextpkt = null;
    m_freem(rec);
    rec = next;
  }
}

/**
 * Wire host socket `sock` to `so`. `connecting`: a client socket whose 'connect' will call
 * soisconnected; otherwise (accepted) the caller does.
 */
export function hs_attach(so: Socket, hs: HostStream, sock: net.Socket): void {
  hs.sock = sock;
  hs.snd = so.so_snd;
  sostat.host_live++;
  const rcv = so.so_rcv;
  hs.onWritten = (err?: Error | null): void => {
    const n = hs.writeq.shift();
    if (err || n === undefined || hs.snd === null) return;
    sbdrop(hs.snd, n);
    if (!hs.orphaned && !sofreed(so)) sowwakeup(so);
  };
  sock.on('data', (chunk: Buffer) => {
    if (so.so_count <= 0 || so.so_state & SS_CANTRCVMORE) return; /* closed or SHUT_RD: discard */
    const m = m_wrap(chunk);
    m.m_flags &= ~M_PKTHDR;
    sbappendstream(rcv, m);
    if (!hs.paused && (rcv.sb_cc >= rcv.sb_hiwat || rcv.sb_mbcnt >= rcv.sb_mbmax)) {
      hs.paused = true;
      sock.pause();
    }
    sorwakeup(so);
  });
  sock.on('connect', () => {
    if (!sofreed(so)) soisconnected(so);
  });
  sock.on('end', () => {
    if (!sofreed(so)) socantrcvmore(so);
  });
  sock.on('finish', () => {
    hs.finished = true;
    if (hs.orphaned) sock.destroy();
    else if (!sofreed(so) && so.so_state & SS_ISDISCONNECTING) soisdisconnected(so);
  });
  sock.on('error', (err: Error) => {
    if (sofreed(so) || hs.orphaned) return;
    so.so_error = errnoFromNodeError(err);
    soisdisconnected(so);
  });
  sock.on('close', () => {
    sostat.host_live--;
    hs.gone = true;
    hs.writeq.length = 0;
    if (hs.snd !== null) release(hs.snd);
    if (!sofreed(so) && !hs.orphaned && (so.so_state & SS_ISDISCONNECTED) === 0) soisdisconnected(so);
  });
}

/* mtod(m), without making a new view when the mbuf's data is its whole Buffer. */
function view(m: Mbuf): Buffer {
  return m.m_off === 0 && m.m_len === m.m_buf.length ? m.m_buf : mtod(m);
}

/** PRU_SEND: queue chain m (owned) in so_snd and hand its views to the host. */
export function hs_send(so: Socket, hs: HostStream, m: Mbuf): number {
  const sock = hs.sock;
  if (sock === null || hs.gone || sock.destroyed) {
    m_freem(m);
    return EPIPE;
  }
  let len = 0;
  let last: Mbuf | null = null;
  for (let n: Mbuf | null = m; n !== null; n = n.m_next) {
    len += n.m_len;
    if (n.m_len > 0) last = n;
  }
  if (last === null) {
    m_freem(m);
    return 0;
  }
  sbappendstream(so.so_snd, m);
  hs.writeq.push(len);
  if (last === m) {
    sock.write(view(m), hs.onWritten!);
    return 0;
  }
  sock.cork();
  for (let n: Mbuf | null = m; n !== null; n = n.m_next) {
    if (n === last) {
      sock.write(view(n), hs.onWritten!);
      break;
    }
    if (n.m_len > 0) sock.write(view(n));
  }
  sock.uncork();
  return 0;
}

/** PRU_RCVD: resume host reads once so_rcv has room again (or after SHUT_RD, to discard). */
export function hs_rcvd(so: Socket, hs: HostStream): void {
  if (!hs.paused || hs.sock === null) return;
  const rcv = so.so_rcv;
  if ((rcv.sb_cc < rcv.sb_hiwat && rcv.sb_mbcnt < rcv.sb_mbmax) || so.so_state & SS_CANTRCVMORE) {
    hs.paused = false;
    hs.sock.resume();
  }
}

/** PRU_SHUTDOWN: no more sends; FIN after the queued data. A repeat is a no-op. */
export function hs_shutdown(so: Socket, hs: HostStream): number {
  if (so.so_state & SS_CANTSENDMORE) return 0;
  socantsendmore(so);
  if (hs.sock !== null && !hs.gone && !hs.sock.writableEnded) hs.sock.end();
  return 0;
}

/**
 * PRU_DISCONNECT (tcp_disconnect): start a graceful close: soisdisconnecting, drop unread input,
 * FIN after the queued data. soisdisconnected follows when the FIN is out (at once if it is).
 */
export function hs_disconnect(so: Socket, hs: HostStream): number {
  soisdisconnecting(so);
  release(so.so_rcv);
  const sock = hs.sock;
  if (sock === null || hs.gone) {
    soisdisconnected(so);
    return 0;
  }
  if (!sock.writableEnded) sock.end();
  if (hs.finished) soisdisconnected(so);
  return 0;
}

/** Abortive close (SO_LINGER {1, 0}, soabort): RST now, buffered output discarded. */
export function hs_drop(so: Socket, hs: HostStream): void {
  const sock = hs.sock;
  if (sock !== null && !hs.gone) {
    /* RST where the host can (TCP); a local stream just closes. */
    try {
      if (sock.readyState === 'opening') sock.destroy();
      else sock.resetAndDestroy();
    } catch {
      sock.destroy();
    }
  }
  if (!sofreed(so)) soisdisconnected(so);
}

/**
 * PRU_DETACH: release the host side. A live connection is orphaned (see above); a connection
 * still being set up is destroyed; a server is closed.
 */
export function hs_detach(so: Socket, hs: HostStream): void {
  if (hs.server !== null) {
    hs.server.close();
    hs.server = null;
  }
  const sock = hs.sock;
  if (sock === null || hs.gone || hs.orphaned) return;
  hs.orphaned = true;
  /* Writes still in the host keep their mbufs: move them out of so_snd, which sofree clears. */
  const orphan = new Sockbuf();
  orphan.sb_mb = so.so_snd.sb_mb;
  orphan.sb_mbtail = so.so_snd.sb_mbtail;
  orphan.sb_lastrecord = so.so_snd.sb_lastrecord;
  orphan.sb_cc = so.so_snd.sb_cc;
  orphan.sb_datacc = so.so_snd.sb_datacc;
  orphan.sb_mbcnt = so.so_snd.sb_mbcnt;
  sbdetach(so.so_snd);
  hs.snd = orphan;
  if (sock.connecting || sock.readyState === 'opening') {
    sock.destroy();
    return;
  }
  sock.unref();
  if (hs.paused) hs.paused = false;
  sock.resume();
  if (!sock.writableEnded) sock.end();
  if (hs.finished || sock.writableFinished) {
    sock.destroy();
    return;
  }
  const t = setTimeout(() => sock.destroy(), ORPHAN_TIMEOUT_MS);
  t.unref();
  sock.once('close', () => clearTimeout(t));
}

/** A server listening on `opts` (a placeholder for a bound socket): resolves with it or an errno. */
export function hs_serve(opts: net.ListenOptions, onConnection: (sock: net.Socket) => void): Promise<net.Server | number> {
  return new Promise((resolve) => {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false }, onConnection);
    const onError = (err: Error): void => {
      server.close();
      resolve(errnoFromNodeError(err));
    };
    server.once('error', onError);
    try {
      server.listen(opts, () => {
        server.removeListener('error', onError);
        server.on('error', () => {
          /* Errors after listening (e.g. EMFILE on accept) drop that connection only. */
        });
        sostat.host_live++;
        server.once('close', () => sostat.host_live--);
        resolve(server);
      });
    } catch (err) {
      resolve(errnoFromNodeError(err));
    }
  });
}


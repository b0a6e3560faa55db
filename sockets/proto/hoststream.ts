/*
 * A connected byte stream backed by a host node:net socket: the input and output halves of TCP
 * and of path-based AF_LOCAL streams (the rest of each protocol is in tcp.ts / unix.ts).
 *
 * Input (the kernel's tcp_input → sbappendstream → sorwakeup): each host read becomes one
 * read-only mbuf wrapping the bytes in place (no copy) appended to so_rcv. Connections this side
 * opens (hs_socket) read straight into receive slabs of RCVSLAB bytes (net.Socket `onread`): each
 * read is offered the rest of the current slab, at least RCVMIN and otherwise what so_rcv has room
 * for, so one read takes all the host has queued (often several hundred KiB) and a slab is
 * allocated per RCVSLAB bytes received, not a Buffer per 64 KiB read; the mbufs of one slab share
 * it, and the slab lives as long as any of them. Accepted connections take Node's 'data' chunks.
 * When so_rcv is full (sb_cc ≥ sb_hiwat, or storage ≥ sb_mbmax) the host socket is paused, so the
 * peer's TCP window closes; pru_rcvd (soreceive draining the buffer) resumes it. 'end' is
 * socantrcvmore, an error sets so_error and soisdisconnected, 'close' releases the handle.
 *
 * Output (PRU_SEND → sbappendstream(so_snd) → tcp_output): the chain's mbufs stay in so_snd,
 * counted, while the host writes their views (corked into one writev when there are several);
 * once the host has taken the bytes they are dropped from so_snd (freeing the mbufs, running
 * MEXTADD free routines) and sowwakeup lets blocked senders go on. What the host has taken is
 * always so_snd's byte count minus the bytes Node still holds (writableLength), so it does not
 * matter which write reports: a write that will complete later (Node holds bytes already, or
 * it is large) carries the connection's write callback; a small one onto an idle connection
 * usually completes during the call and is accounted in a microtask after it (hs_reap) — no
 * per-write callback, tick or allocation. If such a write does not complete at once, an empty
 * write carrying the callback is queued behind it, to report when it has.
 *
 * After soclose the connection is orphaned as a kernel's is: our FIN goes out after the queued
 * data, incoming data is discarded, the handle is unref'd (it does not keep the process alive)
 * and destroyed when the FIN is out, or after ORPHAN_TIMEOUT_MS at the latest.
 */
import { Buffer } from 'node:buffer';
import net from 'node:net';
import { SS_CANTRCVMORE, SS_CANTSENDMORE, SS_ISDISCONNECTED, SS_ISDISCONNECTING } from '../constants.js';
import { errnoFromNodeError, EPIPE } from '../errno.js';
import { M_EXT, M_PKTHDR, MT_DATA, Mbuf, m_freem, m_wrap, m_bytes } from '../mbuf.js';
import { so_hostevent } from '../coroutine.js';
import { Sockbuf, sbappendstream, sbdetach, sbdrop, sbspace } from '../sockbuf.js';
import type { Socket } from '../socket.js';
import { sofreed, sostat } from '../socket.js';
import { socantrcvmore, socantsendmore, soisconnected, soisdisconnected, soisdisconnecting, sorwakeup, sowwakeup } from '../sostate.js';

/** How long an orphaned connection may take to get its FIN out before it is destroyed. */
export const ORPHAN_TIMEOUT_MS = 60_000;

/* Writes of at least this many bytes carry the write callback (see above). */
const WRITE_CB_MIN = 8192;
const EMPTY = Buffer.alloc(0);
const RESOLVED = Promise.resolve();

/** Size of a receive slab (see the top). */
export const RCVSLAB = 1024 * 1024;
/** The least a host read is offered; a slab with less left is retired. */
export const RCVMIN = 64 * 1024;

export class HostStream {
  sock: net.Socket | null = null;
  /** Bound (placeholder) or listening server. */
  server: net.Server | null = null;
  /** Host reads paused because so_rcv is full. */
  paused = false;
  /** An hs_reap is scheduled. */
  reaping = false;
  /** The send buffer write callbacks drain: so_snd, or a private one once orphaned. */
  snd: Sockbuf | null = null;
  /** Our FIN is out (the host's 'finish'). */
  finished = false;
  /** The host connection is over ('close'). */
  gone = false;
  /** soclose has released the connection to run down on its own. */
  orphaned = false;
  /** The write callback and the reap of this connection (bound once, at attach). */
  onWritten: ((err?: Error | null) => void) | null = null;
  reap: (() => void) | null = null;
  /** Receive slab of an hs_socket connection, and where its next read goes. */
  rslab: Buffer = EMPTY;
  rused = 0;
  /** so_rcv once attached (sizes the reads offered). */
  rcv: Sockbuf | null = null;
  /** Made by hs_socket: reads arrive through `onread`, not 'data' events. */
  ownread = false;
  /** An hs_socket connection's read handler (set at attach). */
  onread: ((n: number) => void) | null = null;
}

/* The buffer the host's next read of an hs_socket connection fills (see the top). */
function hs_rcvbuf(hs: HostStream): Buffer {
  if (hs.rslab.length - hs.rused < RCVMIN) {
    hs.rslab = Buffer.allocUnsafeSlow(RCVSLAB);
    hs.rused = 0;
  }
  const room = hs.rcv === null ? RCVSLAB : Math.max(sbspace(hs.rcv), RCVMIN);
  return hs.rslab.subarray(hs.rused, Math.min(hs.rslab.length, hs.rused + room));
}

/**
 * A host socket for a connection this side opens, reading into receive slabs; hs_attach wires
 * its input. (Listening sockets' accepted connections cannot read this way: Node offers `onread`
 * to client sockets only.)
 */
export function hs_socket(hs: HostStream): net.Socket {
  hs.ownread = true;
  /* The constructor takes `onread` (lib/net.js); @types/node declares it for net.connect only. */
  const opts: net.SocketConstructorOpts & { onread: net.OnReadOpts } = {
    allowHalfOpen: true,
    onread: {
      buffer: () => hs_rcvbuf(hs),
      callback: (n: number): boolean => {
        if (hs.onread !== null) hs.onread(n);
        return true;
      },
    },
  };
  return new net.Socket(opts);
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
    if (!err) hs_taken(so, hs);
  };
  hs.reap = (): void => {
    hs.reaping = false;
    hs_taken(so, hs);
  };
  hs.rcv = rcv;
  const append = (m: Mbuf): void => {
    sbappendstream(rcv, m);
    if (!hs.paused && (rcv.sb_cc >= rcv.sb_hiwat || rcv.sb_mbcnt >= rcv.sb_mbmax)) {
      hs.paused = true;
      sock.pause();
    }
    sorwakeup(so);
  };
  /* closed or SHUT_RD: input is discarded */
  const discarding = (): boolean => so.so_count <= 0 || (so.so_state & SS_CANTRCVMORE) !== 0;
  if (hs.ownread) {
    hs.onread = (n: number): void => {
      if (discarding()) return; /* the slab space is offered again */
      const m = new Mbuf(MT_DATA, M_EXT, hs.rslab);
      m.m_data = hs.rused;
      m.m_len = n;
      m.m_ext = { ext_size: n, ext_refs: 1, ext_free: null, ext_arg: null };
      hs.rused += n;
      so_hostevent(append, m);
    };
  } else {
    sock.on('data', (chunk: Buffer) => {
      if (discarding()) return;
      const m = m_wrap(chunk);
      m.m_flags &= ~M_PKTHDR;
      so_hostevent(append, m);
    });
  }
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
    if (hs.snd !== null) release(hs.snd);
    if (!sofreed(so) && !hs.orphaned && (so.so_state & SS_ISDISCONNECTED) === 0) soisdisconnected(so);
  });
}

/* m_bytes(m), without making a new view when the mbuf's data is its whole Buffer. */
function view(m: Mbuf): Buffer {
  return m.m_data === 0 && m.m_len === m.m_buf.length ? m.m_buf : m_bytes(m);
}

/* Drop from so_snd (or the orphan's buffer) what the host has taken, and wake the senders. */
function hs_taken(so: Socket, hs: HostStream): void {
  const sock = hs.sock;
  const snd = hs.snd;
  if (sock === null || snd === null || hs.gone) return;
  const n = snd.sb_cc - sock.writableLength;
  if (n <= 0) return;
  sbdrop(snd, n);
  if (!hs.orphaned && !sofreed(so)) sowwakeup(so);
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
  /* A write that will complete later reports itself; a small one is reaped (see the top). */
  const report = len >= WRITE_CB_MIN || sock.writableLength > 0;
  if (last === m) {
    if (report) sock.write(view(m), hs.onWritten!);
    else sock.write(view(m));
  } else {
    sock.cork();
    for (let n: Mbuf | null = m; n !== null; n = n.m_next) {
      if (n === last) {
        if (report) sock.write(view(n), hs.onWritten!);
        else sock.write(view(n));
        break;
      }
      if (n.m_len > 0) sock.write(view(n));
    }
    sock.uncork();
  }
  if (!report) {
    if (sock.writableLength > 0) {
      sock.write(EMPTY, hs.onWritten!);
    } else if (!hs.reaping) {
      hs.reaping = true;
      void RESOLVED.then(hs.reap!);
    }
  }
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


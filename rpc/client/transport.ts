/*
 * A connected socket carrying RPC messages: the send queue and the receive upcall, common to
 * TCP and UDP (transport-tcp.ts, transport-udp.ts add what differs).
 *
 * Sending (OpenBSD nfs_send; FreeBSD clnt_vc_call): each transmission is sosend(top) of an
 * m_copym of the request's message — the original chain stays with the request for
 * retransmission; the copy shares its storage. Calls go out in the order queued, from a
 * microtask after the first is queued; on a stream the copies of every queued call that fits
 * are chained into one sosend. When so_snd has room the send is done at once with MSG_DONTWAIT
 * (sosend_nowait: no promise, no sleep); when it has not, one blocking sosend waits for room
 * while later calls wait in the queue. On
 * a stream a call larger than so_snd (sosend's `top` is atomic and must fit sb_hiwat) goes out
 * in pieces of half the buffer, still in order: the queue is the send lock.
 *
 * Receiving: an SO_RCV upcall (soupcall_set) runs synchronously at every read wakeup — data,
 * EOF, error — and drains the socket with soreceive(MSG_DONTWAIT, mp0): the buffered mbufs are
 * handed over without copying. It must not sleep and must not throw.
 *
 * Teardown (close): soupcall_clear first, so no upcall runs against a socket being torn down
 * (FreeBSD clnt_vc_close), then soshutdown(SHUT_RDWR) and soclose (OpenBSD nfs_disconnect).
 */
import {
  EWOULDBLOCK, M_COPYALL, M_DONTWAIT, M_PKTHDR, SB_LOCK, SHUT_RDWR, SO_RCV, SU_OK, UIO_READ, m_copym, m_freem, m_last, m_split, sbspace,
  soclose, soshutdown, sosend, sosend_nowait, soupcall_clear, soupcall_set, uio_init,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket, Uio } from '../../sockets/index.js';
import { REQ_SENT } from './request.js';
import type { RpcRequest } from './request.js';

/** What a transport reports to its client. */
export interface TransportOwner {
  /** A complete message arrived (the chain is the owner's to free). */
  onRecord(t: Transport, m: Mbuf): void;
  /** The transport is unusable (reset, EOF, hopeless record ...): errno says why. Called once. */
  onDown(t: Transport, error: number): void;
  /** A transmission of `req` finished: 0 or sosend's errno. */
  onSent(t: Transport, req: RpcRequest, error: number): void;
  /** An error the socket reported and the transport ignored (UDP ICMP errors). */
  onSoftError(t: Transport, error: number): void;
  /** Bytes taken from the socket. */
  onReceived(t: Transport, bytes: number): void;
}

/* The SO_RCV upcall of every transport: no closure, the transport is the upcall's argument. */
function transportUpcall(_so: Socket, arg: unknown): number {
  (arg as Transport).upcall();
  return SU_OK;
}

export abstract class Transport {
  readonly so: Socket;
  protected readonly owner: TransportOwner;
  #down = false;
  #closing: Promise<void> | null = null;
  /* Send queue: requests in order, the head at #qHead. Each request is in it at most once. */
  #q: RpcRequest[] = [];
  #qHead = 0;
  /* A blocking sosend is in progress: the queue waits behind it. */
  #blocked = false;
  #draining = false;
  #again = false;
  /* The receive arguments, reused by every soreceive (no allocation per upcall). */
  protected readonly uio: Uio = uio_init(UIO_READ, []);
  protected readonly mp: Ref<Mbuf | null> = { value: null };
  protected readonly flags: Ref<number> = { value: 0 };

  constructor(so: Socket, owner: TransportOwner, readonly stream: boolean) {
    this.so = so;
    this.owner = owner;
    soupcall_set(so, SO_RCV, transportUpcall, this);
  }

  /** True once the transport has failed or been closed. */
  get isDown(): boolean {
    return this.#down;
  }

  /**
   * Queue a transmission of req (at most once at a time). The queue is sent from a microtask, so
   * that calls made in the same turn of the event loop (the continuations of the replies one
   * upcall delivered, typically) go out together: on a stream, one sosend of their chained copies,
   * which the host writes with one writev.
   */
  enqueue(req: RpcRequest): void {
    if (this.#down || req.inSendQueue) return;
    req.inSendQueue = true;
    this.#q.push(req);
    if (!this.#blocked && !this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#pumpFn);
    }
  }

  #scheduled = false;
  readonly #pumpFn = (): void => this.#pump();
  /* The requests of one batched sosend (reused). */
  readonly #batch: RpcRequest[] = [];

  /* Take the head of the queue. */
  #shift(): RpcRequest {
    const req = this.#q[this.#qHead]!;
    this.#q[this.#qHead++] = undefined as unknown as RpcRequest;
    req.inSendQueue = false;
    return req;
  }

  #pump(): void {
    this.#scheduled = false;
    const so = this.so;
    const sb = so.so_snd;
    const q = this.#q;
    while (this.#qHead < q.length) {
      if (this.#down || this.#blocked) return;
      const head = q[this.#qHead]!;
      if (head.state !== REQ_SENT || head.mreq === null) {
        this.#shift();
        continue;
      }
      const space = sbspace(sb);
      if (sb.sb_flags & SB_LOCK || space < head.len || (this.stream && head.len > sb.sb_hiwat)) {
        this.#shift();
        this.#blocked = true;
        void this.#sendBlocking(head);
        return;
      }
      if (!this.stream) {
        this.#shift();
        const error = sosend_nowait(so, null, null, m_copym(head.mreq, 0, M_COPYALL, M_DONTWAIT), null, 0);
        this.owner.onSent(this, head, error);
        continue;
      }
      /* A stream: chain the copies of as many queued calls as fit into one sosend. */
      const batch = this.#batch;
      let top: Mbuf | null = null;
      let tail: Mbuf | null = null;
      let total = 0;
      while (this.#qHead < q.length) {
        const req = q[this.#qHead]!;
        if (req.state !== REQ_SENT || req.mreq === null) {
          this.#shift();
          continue;
        }
        if (total + req.len > space) break;
        this.#shift();
        const copy = m_copym(req.mreq, 0, M_COPYALL, M_DONTWAIT);
        if (tail === null) {
          top = copy;
        } else {
          copy.m_flags &= ~M_PKTHDR;
          tail.m_next = copy;
        }
        tail = m_last(copy);
        total += req.len;
        batch.push(req);
      }
      if (top === null) continue;
      top.m_pkthdr.len = total;
      const error = sosend_nowait(so, null, null, top, null, 0);
      for (let i = 0; i < batch.length; i++) this.owner.onSent(this, batch[i]!, error);
      batch.length = 0;
    }
    this.#q.length = 0;
    this.#qHead = 0;
  }

  /* One transmission that has to wait for room in so_snd; the queue waits behind it. */
  async #sendBlocking(req: RpcRequest): Promise<void> {
    const so = this.so;
    let error = 0;
    let m: Mbuf | null = m_copym(req.mreq!, 0, M_COPYALL, M_DONTWAIT);
    const piece = this.stream && req.len > so.so_snd.sb_hiwat ? Math.max(1, so.so_snd.sb_hiwat >> 1) : req.len;
    while (m !== null) {
      const rest: Mbuf | null = req.len > piece ? m_split(m, Math.min(piece, m.m_pkthdr.len), M_DONTWAIT) : null;
      const top = m;
      m = rest !== null && rest.m_pkthdr.len > 0 ? rest : null;
      if (rest !== null && m === null) m_freem(rest);
      error = await sosend(so, null, null, top, null, 0);
      if (error || this.#down) break;
    }
    m_freem(m);
    this.#blocked = false;
    if (this.#down) return;
    this.owner.onSent(this, req, error);
    if (!this.#scheduled) this.#pump();
  }

  /** The upcall: drain the socket. Re-entry (an upcall from inside the drain) just asks for another pass. */
  upcall(): void {
    if (this.#down) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    try {
      do {
        this.#again = false;
        this.receive();
      } while (this.#again && !this.#down);
    } finally {
      this.#draining = false;
    }
  }

  /** Drain whatever the socket holds now (MSG_DONTWAIT), handing messages to the owner. */
  protected abstract receive(): void;

  /** Report the transport unusable (once). */
  protected fail(error: number): void {
    if (this.#down) return;
    this.#down = true;
    this.owner.onDown(this, error);
  }

  /**
   * Tear down: clear the upcall, shut down both directions, soclose. Requests still queued here
   * are not failed (the client resends them elsewhere). Idempotent; resolves when soclose is done.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    this.#down = true;
    for (let i = this.#qHead; i < this.#q.length; i++) this.#q[i]!.inSendQueue = false;
    this.#q.length = 0;
    this.#qHead = 0;
    soupcall_clear(this.so, SO_RCV);
    this.teardown();
    soshutdown(this.so, SHUT_RDWR);
    this.#closing = soclose(this.so).then(() => undefined);
    return this.#closing;
  }

  /** Release protocol state (the record reader ...). */
  protected teardown(): void {}
}

/** soreceive's "nothing now" answer, for the subclasses. */
export const NOTHING = EWOULDBLOCK;

/*
 * RPC over a TCP connection: record marking (RFC 5531 §11) in both directions.
 *
 * Receive (FreeBSD clnt_vc_soupcall, in spirit): the upcall takes every buffered mbuf with one
 * soreceive(MSG_DONTWAIT, mp0) — no copy — and pushes it into a RecordReader, which reassembles
 * fragments (any number, any chunking, marks split anywhere) into records without concatenating
 * them, bounded by maxRecordSize. Each complete record goes to the client.
 *
 * The connection is hopeless, and reported down, on: a soreceive error (ECONNRESET, ETIMEDOUT
 * from keepalive ...), EOF (the peer closed: ECONNRESET, as FreeBSD turns a short read into),
 * or a record over the bound (EMSGSIZE: nothing of the claimed size is ever allocated, OpenBSD's
 * "impossible packet length").
 */
import { ECONNRESET, EMSGSIZE, soreceive_nowait } from '../../sockets/index.js';
import type { Mbuf, Socket } from '../../sockets/index.js';
import { RpcRecordTooLargeError } from '../errors.js';
import { RecordReader } from '../record/reader.js';
import { NOTHING, Transport } from './transport.js';
import type { TransportOwner } from './transport.js';

/* Byte count asked of each soreceive: "everything buffered" (the buffer holds far less). */
const DRAIN_RESID = 0x40000000;

export class TcpTransport extends Transport {
  readonly #reader: RecordReader;

  constructor(so: Socket, owner: TransportOwner, maxRecordSize: number) {
    super(so, owner, true);
    this.#reader = new RecordReader({ maxRecordSize });
  }

  /** Records over the bound seen (the connection was dropped for it). */
  oversized = 0;

  protected receive(): void {
    const so = this.so;
    const uio = this.uio;
    const mp = this.mp;
    const flags = this.flags;
    const reader = this.#reader;
    for (;;) {
      if (this.isDown) return;
      uio.uio_resid = DRAIN_RESID;
      mp.value = null;
      flags.value = 0;
      const error = soreceive_nowait(so, null, uio, mp, null, flags);
      if (error === NOTHING) return;
      if (error) {
        this.fail(error);
        return;
      }
      const m: Mbuf | null = mp.value;
      mp.value = null;
      if (m === null) {
        /* EOF: the server closed the connection (with calls pending or not). */
        this.fail(ECONNRESET);
        return;
      }
      this.owner.onReceived(this, DRAIN_RESID - uio.uio_resid);
      try {
        reader.push(m);
      } catch (e) {
        if (e instanceof RpcRecordTooLargeError) this.oversized++;
        this.fail(EMSGSIZE);
        return;
      }
      let rec: Mbuf | null;
      while ((rec = reader.next()) !== null) {
        if (this.isDown) {
          reader.reset();
          return;
        }
        this.owner.onRecord(this, rec);
      }
    }
  }

  protected override teardown(): void {
    this.#reader.reset();
  }
}

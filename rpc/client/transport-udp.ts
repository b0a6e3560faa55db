/*
 * RPC over connected UDP: one datagram per message (RFC 5531 §5: no record marking).
 *
 * Receive (FreeBSD clnt_dg_soupcall, in spirit): the upcall loops soreceive(MSG_DONTWAIT, mp0),
 * one datagram each, and hands each to the client. The socket is connected, so the host drops
 * datagrams from anyone but the server, and ICMP port unreachable comes back as so_error
 * ECONNREFUSED, returned once by soreceive (which clears it). As the kernel clients do
 * (OpenBSD NFSIGNORE_SOERROR), such errors are counted and ignored: the calls keep waiting and
 * are retransmitted by the timer. Only a closed socket (EBADF) ends the transport.
 */
import { EBADF, ENOTCONN, soreceive_nowait } from '../../sockets/index.js';
import type { Mbuf, Socket } from '../../sockets/index.js';
import { NOTHING, Transport } from './transport.js';
import type { TransportOwner } from './transport.js';

/** The largest UDP payload over IPv4 (65535 − 20 − 8); IPv6 allows 65527. */
export const MAX_DATAGRAM = 65535;

export class UdpTransport extends Transport {
  constructor(so: Socket, owner: TransportOwner) {
    super(so, owner, false);
  }

  protected receive(): void {
    const so = this.so;
    const uio = this.uio;
    const mp = this.mp;
    const flags = this.flags;
    for (;;) {
      if (this.isDown) return;
      uio.uio_resid = MAX_DATAGRAM;
      mp.value = null;
      flags.value = 0;
      const error = soreceive_nowait(so, null, uio, mp, null, flags);
      if (error === NOTHING) return;
      if (error === EBADF || error === ENOTCONN) {
        this.fail(error);
        return;
      }
      if (error) {
        this.owner.onSoftError(this, error);
        continue;
      }
      const m: Mbuf | null = mp.value;
      mp.value = null;
      const len = MAX_DATAGRAM - uio.uio_resid;
      this.owner.onReceived(this, len);
      if (m === null) {
        /* An empty datagram (nothing to match), or nothing at all: stop when the buffer is empty. */
        if (so.so_rcv.sb_cc === 0) return;
        continue;
      }
      this.owner.onRecord(this, m);
    }
  }
}

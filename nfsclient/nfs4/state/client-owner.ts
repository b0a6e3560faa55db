/*
 * Who the client is to the server (RFC 8881 §2.4, RFC 7530 §9.1.1): the co_ownerid of EXCHANGE_ID
 * (4.1) or the id of SETCLIENTID (4.0), and the verifier of this instance.
 *
 * Each mount of sonfs is a client of its own (its own opens, its own lease), so the owner names
 * the host and the mount:
 *
 *     sonfs/<hostname>/<pid>/<16 hex digits from /dev/urandom>
 *
 * It stays the same for the life of the mount, across every re-establishment — what lets the
 * server recognise the client after its own restart and accept its reclaims (RFC 8881 §8.4.2.1).
 * The host name is there for people reading the server's client list; the random part makes two
 * mounts, or two containers sharing a host name and pid, different clients. A process that dies
 * leaves its owner behind: its state on the server lapses with the lease (nothing of it survives
 * to reclaim). The verifier (co_verifier / nfs_client_id4.verifier) is random per mount too, and
 * also kept for the mount's life: a new verifier would tell the server the client had rebooted.
 * A caller may give its own owner (the `clientOwner` option), e.g. to keep one across processes.
 */

import { hostname } from 'node:os';
import { randomBytes } from '../../../rpc/index.js';
import { NFS4_OPAQUE_LIMIT, NFS4_VERIFIER_SIZE } from '../constants.js';

export interface ClientOwner {
  /** co_ownerid (4.1) / nfs_client_id4.id (4.0). */
  ownerid: Buffer;
  /** co_verifier / nfs_client_id4.verifier. */
  verifier: Buffer;
}

/** A new owner for a mount (see the file comment), or the one given. */
export function makeClientOwner(given?: string | Buffer): ClientOwner {
  let ownerid: Buffer;
  if (given !== undefined) {
    ownerid = Buffer.isBuffer(given) ? Buffer.from(given) : Buffer.from(given, 'utf8');
    if (ownerid.length === 0 || ownerid.length > NFS4_OPAQUE_LIMIT) throw new RangeError(`clientOwner must be 1 to ${NFS4_OPAQUE_LIMIT} bytes`);
  } else {
    let host = hostname().replace(/[^\x21-\x7e]/g, '_');
    if (host.length > 200) host = host.slice(0, 200);
    ownerid = Buffer.from(`sonfs/${host}/${process.pid}/${randomBytes(8).toString('hex')}`, 'utf8');
  }
  return { ownerid, verifier: randomBytes(NFS4_VERIFIER_SIZE) };
}

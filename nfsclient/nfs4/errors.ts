/*
 * Errors of the NFSv4 module. Nfs4Error: an operation failed with an nfsstat4 (the module's
 * equivalent of a v3 status that the high tier turns into an NfsError): `status`, its RFC name,
 * the operation that failed and its COMPOUND, and the errno/code of nfsstat4.ts. Nfs4ProtocolError:
 * the server broke the protocol in a way the XDR cannot see (a SEQUENCE reply for another slot, a
 * session it did not grant) — EPROTO.
 */

import { EPROTO } from '../../sockets/index.js';
import { nfsstat4Errno } from './nfsstat4.js';

export interface Nfs4ErrorDetails {
  /** The failed operation's name ('OPEN'), when one failed. */
  op?: string | undefined;
  /** The COMPOUND's operations ('SEQUENCE PUTFH OPEN GETFH GETATTR'). */
  compound?: string | undefined;
  /** More explanation, appended to the message. */
  detail?: string | undefined;
  cause?: unknown;
}

export class Nfs4Error extends Error {
  override name = 'Nfs4Error';
  /** The nfsstat4 value. */
  readonly status: number;
  /** 'NFS4ERR_NOENT' ... */
  readonly statusName: string;
  /** BSD errno (sockets/errno.ts) and its name ('ENOENT'). */
  readonly errno: number;
  readonly code: string;
  readonly op: string | undefined;
  readonly compound: string | undefined;

  constructor(status: number, d: Nfs4ErrorDetails = {}) {
    const e = nfsstat4Errno(status);
    let msg = `${e.name}`;
    if (d.op !== undefined) msg += ` from ${d.op}`;
    if (d.compound !== undefined) msg += ` in COMPOUND ${d.compound}`;
    if (d.detail !== undefined) msg += ` (${d.detail})`;
    super(msg, d.cause === undefined ? undefined : { cause: d.cause });
    this.status = status;
    this.statusName = e.name;
    this.errno = e.errno;
    this.code = e.code;
    this.op = d.op;
    this.compound = d.compound;
  }
}

export class Nfs4ProtocolError extends Error {
  override name = 'Nfs4ProtocolError';
  readonly errno = EPROTO;
  readonly code = 'EPROTO';

  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

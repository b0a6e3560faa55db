/*
 * Open-owners (RFC 7530 §9.1.5, §9.1.7; RFC 8881 §8.1.2): the client opens files as one open-owner
 * per credential (uid and gid), so that the server's share reservations and its open state are
 * those of the user, as a kernel client keeps one per cred.
 *
 * In 4.0 an open-owner carries a sequence id: every OPEN, OPEN_CONFIRM, OPEN_DOWNGRADE and CLOSE
 * sends the current one, and it moves on after the server executed the operation, whatever its
 * status, except for the statuses of §9.1.7 (the operation was not executed against the sequence):
 * STALE_CLIENTID, STALE_STATEID, BAD_STATEID, BAD_SEQID, BADXDR, RESOURCE, NOFILEHANDLE, MOVED.
 * So those operations go one at a time per owner (exclusive()). The first OPEN of an owner the
 * server does not know yet asks for OPEN_CONFIRM (`confirmed`). A BAD_SEQID means the server and
 * the client disagree beyond repair: the owner is replaced by a new one (retire()).
 * In 4.1 sessions give exactly-once semantics: the sequence id is not used (0 is sent) and no
 * confirmation is asked for; exclusive() still orders a file's OPENs and CLOSEs.
 */

import {
  NFS4ERR_BADXDR, NFS4ERR_BAD_SEQID, NFS4ERR_BAD_STATEID, NFS4ERR_MOVED, NFS4ERR_NOFILEHANDLE, NFS4ERR_RESOURCE,
  NFS4ERR_STALE_CLIENTID, NFS4ERR_STALE_STATEID,
} from '../nfsstat4.js';

const NOT_SEQUENCED = new Set<number>([
  NFS4ERR_STALE_CLIENTID, NFS4ERR_STALE_STATEID, NFS4ERR_BAD_STATEID, NFS4ERR_BAD_SEQID, NFS4ERR_BADXDR,
  NFS4ERR_RESOURCE, NFS4ERR_NOFILEHANDLE, NFS4ERR_MOVED,
]);

/** Whether a seqid-mutating operation that returned `status` consumed its sequence id (RFC 7530 §9.1.7). */
export function seqidConsumed(status: number): boolean {
  return !NOT_SEQUENCED.has(status);
}

export class OpenOwner {
  /** 4.0: the sequence id the next seqid-mutating operation sends. */
  seqid = 0;
  /** 4.0: the server confirmed this owner (OPEN_CONFIRM), or it needed no confirmation. */
  confirmed = false;
  #generation = 1;
  #chain: Promise<void> = Promise.resolve();

  /** @param key `uid:gid`; @param prefix the owner's bytes before the generation. */
  constructor(readonly key: string, readonly prefix: string) {}

  /** open_owner4.owner: the prefix and the owner's generation. */
  get owner(): Buffer {
    return Buffer.from(`${this.prefix}/${this.#generation}`, 'utf8');
  }

  /** Run `fn` with the owner to itself: its seqid operations go one at a time, in call order. */
  async exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const prev = this.#chain;
    let release!: () => void;
    this.#chain = new Promise<void>((r) => {
      release = r;
    });
    try {
      await prev;
      return await fn();
    } finally {
      release();
    }
  }

  /** A seqid operation executed with `status`: the sequence moves on unless §9.1.7 says otherwise. */
  advance(status: number): void {
    if (seqidConsumed(status)) this.seqid = (this.seqid + 1) >>> 0;
  }

  /** A new owner in this one's place (after BAD_SEQID): new bytes, sequence from 0, unconfirmed. */
  retire(): void {
    this.#generation++;
    this.seqid = 0;
    this.confirmed = false;
  }
}

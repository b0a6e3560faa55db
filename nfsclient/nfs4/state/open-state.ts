/*
 * Open state (RFC 7530 §9.1.4, §9.7; RFC 8881 §8.2, §9.7): what one open-owner holds open of one
 * file. The server merges every OPEN of a file by one owner into one state with one stateid (its
 * `other`), its seqid counting the changes; its share access is the union of those opens. So the
 * client keeps one OpenState per (owner, file), counting its opens by access, and each open() gets
 * an Nfs4OpenFile on it; close() of the last one sends CLOSE, and of one whose access is no longer
 * needed, OPEN_DOWNGRADE (as Linux's nfs4_state with its n_rdonly/n_wronly/n_rdwr).
 *
 * I/O uses `ioStateid`: in 4.1 the state's `other` with seqid 0, "the current stateid of this
 * state" (RFC 8881 §8.2.2), so READs and WRITEs never race an OPEN that upgrades the state; in 4.0
 * the stateid itself (an upgrade in between is answered OLD_STATEID and the client resends).
 *
 * For recovery a state remembers how to open its file again: the handle (CLAIM_PREVIOUS,
 * CLAIM_FH) and, in 4.0, the directory and name it was opened by (CLAIM_NULL).
 */

import type { stateid4 } from '../basic.js';
import {
  OPEN4_SHARE_ACCESS_BOTH, OPEN4_SHARE_ACCESS_READ, OPEN4_SHARE_ACCESS_WRITE, OPEN4_SHARE_DENY_NONE,
} from '../constants.js';
import type { Fattr4Values } from '../fattr4.js';
import type { OpenOwner } from './open-owner.js';

export class OpenState {
  stateid: stateid4;
  ioStateid: stateid4;
  /** Opens by access: read only, write only, both. */
  nRead = 0;
  nWrite = 0;
  nBoth = 0;
  /** Share deny of every open (this client denies nothing). */
  readonly deny = OPEN4_SHARE_DENY_NONE;
  /** The share access the server holds for this state. */
  access = 0;
  /** The state must be reclaimed or reopened before its next use (after a server restart, an expiry ...). */
  needsRecovery = false;
  /** Recovery failed for good: the status why. */
  lost = 0;
  closed = false;
  /** A reopen of this state under way (joined by every COMPOUND that needs it). */
  reopening: Promise<void> | null = null;

  constructor(
    readonly owner: OpenOwner,
    readonly fh: Buffer,
    stateid: stateid4,
    readonly sessions: boolean,
    /** 4.0: the directory and name the file was opened by (reopen with CLAIM_NULL). */
    public dir: Buffer | null,
    public name: string | null,
  ) {
    this.stateid = stateid;
    this.ioStateid = sessions ? { seqid: 0, other: stateid.other } : stateid;
  }

  /** Take the stateid the server returned (OPEN, OPEN_CONFIRM, OPEN_DOWNGRADE, a reclaim). */
  setStateid(s: stateid4): void {
    this.stateid = s;
    this.ioStateid = this.sessions ? (this.ioStateid.other.equals(s.other) ? this.ioStateid : { seqid: 0, other: s.other }) : s;
  }

  /** Opens outstanding. */
  get opens(): number {
    return this.nRead + this.nWrite + this.nBoth;
  }

  /** The access the opens outstanding need (0 when none). */
  neededAccess(): number {
    let a = 0;
    if (this.nRead > 0) a |= OPEN4_SHARE_ACCESS_READ;
    if (this.nWrite > 0) a |= OPEN4_SHARE_ACCESS_WRITE;
    if (this.nBoth > 0) a |= OPEN4_SHARE_ACCESS_BOTH;
    return a;
  }

  count(access: number, by: 1 | -1): void {
    if (access === OPEN4_SHARE_ACCESS_BOTH) this.nBoth += by;
    else if (access === OPEN4_SHARE_ACCESS_WRITE) this.nWrite += by;
    else this.nRead += by;
  }
}

/** One open() of a file: what close() ends. */
export class Nfs4OpenFile {
  closed = false;

  constructor(
    readonly state: OpenState,
    /** OPEN4_SHARE_ACCESS_READ, _WRITE or _BOTH. */
    readonly access: number,
    /** The file's attributes as the OPEN's GETATTR (or the SETATTR after it) returned them. */
    public attrs: Fattr4Values,
    /** The OPEN created the file. */
    readonly created: boolean,
  ) {}

  get fh(): Buffer {
    return this.state.fh;
  }

  /** The stateid for READ and WRITE (see OpenState). */
  get stateid(): stateid4 {
    return this.state.ioStateid;
  }
}

/*
 * Control messages (sys/socket.h cmsghdr; kern/uipc_usrreq.c unp_internalize/externalize/
 * dispose) for in-process AF_LOCAL sockets.
 *
 * A control mbuf (MT_CONTROL) holds one or more cmsghdrs: cmsg_len (u32), cmsg_level (i32),
 * cmsg_type (i32), padding to 8 bytes, then the data (CMSG_DATA), each padded to 8 bytes
 * (CMSG_SPACE), in host byte order, as on a 64-bit BSD.
 *
 * SCM_RIGHTS passes Socket objects. The kernel turns descriptors into file pointers when a
 * message is sent (internalize); here the message's data holds 4-byte slots whose values index a
 * table of Sockets kept beside the mbuf (scm_rights builds both; cmsg_parse reads them back).
 * Each Socket in flight holds a reference (so_count): the sender may soclose its own after
 * sending, and the receiver owns the reference it receives (it must soclose it). A message
 * discarded unread — soreceive without controlp, SHUT_RD, close of the receiver — closes the
 * references it carried (unp_dispose). sonfs has no unp_gc: a socket sent over itself and never
 * received stays open until its receiver is closed.
 *
 * SCM_CREDS (FreeBSD's; OpenBSD has none) asks the kernel to attach the sender's credential:
 * send a cmsg of CMSG_LEN(SIZEOF_CMSGCRED) bytes (scm_creds()); it is filled with FreeBSD's
 * struct cmsgcred from the sending socket's so_cred and so_cpid (the credential rule: never the
 * ambient curproc) and read back with cmsg_parse.
 */
import { SCM_CREDS, SCM_RIGHTS, SOL_SOCKET } from './constants.js';
import { EBADF, EINVAL, EMSGSIZE } from './errno.js';
import { MCLBYTES, MT_CONTROL, Mbuf, m_get, m_getcl, m_bytes } from './mbuf.js';
import type { Socket } from './socket.js';
import { sovalid } from './socket.js';

export const CMSG_HDRLEN = 16; /* CMSG_ALIGN(sizeof(struct cmsghdr)) */
export const CMGROUP_MAX = 16;
/** sizeof(struct cmsgcred): pid, uid, euid, gid (4 each), ngroups (2) + pad (2), groups[16]. */
export const SIZEOF_CMSGCRED = 84;

export function CMSG_ALIGN(n: number): number {
  return (n + 7) & ~7;
}
export function CMSG_LEN(n: number): number {
  return CMSG_HDRLEN + n;
}
export function CMSG_SPACE(n: number): number {
  return CMSG_HDRLEN + CMSG_ALIGN(n);
}

/** The credential carried by SCM_CREDS (FreeBSD struct cmsgcred). */
export interface Cmsgcred {
  cmcred_pid: number;
  cmcred_uid: number;
  cmcred_euid: number;
  cmcred_gid: number;
  cmcred_groups: number[];
}

/** One parsed control message. */
export interface Cmsg {
  cmsg_level: number;
  cmsg_type: number;
  /** CMSG_DATA: a view, not a copy. */
  data: Buffer;
  /** SCM_RIGHTS: the Sockets passed (the receiver owns these references). */
  sockets?: Socket[];
  /** SCM_CREDS: the sender's credential. */
  cred?: Cmsgcred;
}

/* Socket tables of SCM_RIGHTS control mbufs. */
const rights = new WeakMap<Mbuf, Socket[]>();

function controlmbuf(len: number): Mbuf {
  const m = len <= 224 ? m_get(0, MT_CONTROL) : m_getcl(0, MT_CONTROL, 0, Math.max(len, MCLBYTES))!;
  m.m_len = len;
  m_bytes(m).fill(0);
  return m;
}

function writehdr(b: Buffer, off: number, len: number, level: number, type: number): void {
  b.writeUInt32LE(len, off);
  b.writeInt32LE(level, off + 4);
  b.writeInt32LE(type, off + 8);
}

/**
 * An MT_CONTROL mbuf carrying SCM_RIGHTS for `sockets` (to pass as sosend's control). Throws
 * RangeError for more than (MCLBYTES - 16) / 4 sockets (the kernel's control size limit).
 */
export function scm_rights(sockets: Socket[]): Mbuf {
  const n = sockets.length;
  const len = CMSG_LEN(4 * n);
  if (len > MCLBYTES) throw new RangeError(`scm_rights: too many sockets (${n})`);
  const m = controlmbuf(CMSG_ALIGN(len));
  const b = m_bytes(m);
  writehdr(b, 0, len, SOL_SOCKET, SCM_RIGHTS);
  for (let i = 0; i < n; i++) b.writeInt32LE(i, CMSG_HDRLEN + 4 * i);
  rights.set(m, [...sockets]);
  return m;
}

/** An MT_CONTROL mbuf asking for SCM_CREDS (the kernel fills in the sender's credential). */
export function scm_creds(): Mbuf {
  const m = controlmbuf(CMSG_SPACE(SIZEOF_CMSGCRED));
  writehdr(m_bytes(m), 0, CMSG_LEN(SIZEOF_CMSGCRED), SOL_SOCKET, SCM_CREDS);
  return m;
}

/* Walk the cmsghdrs of one control mbuf; fn returns non-zero to stop (that value is returned). */
function eachcmsg(m: Mbuf, fn: (b: Buffer, off: number, len: number, level: number, type: number) => number): number {
  const b = m_bytes(m);
  let off = 0;
  while (off < b.length) {
    if (b.length - off < CMSG_HDRLEN) return EINVAL;
    const len = b.readUInt32LE(off);
    if (len < CMSG_HDRLEN || len > b.length - off) return EINVAL;
    const error = fn(b, off, len, b.readInt32LE(off + 4), b.readInt32LE(off + 8));
    if (error) return error;
    off += CMSG_ALIGN(len);
  }
  return 0;
}

/**
 * unp_internalize: check a control chain before it is queued, take the in-flight references of
 * SCM_RIGHTS sockets and fill SCM_CREDS from `sender`. 0, EINVAL (malformed, unknown type, a
 * rights mbuf not built by scm_rights), EBADF (a closed socket), EMSGSIZE (over MCLBYTES).
 * Nothing is changed unless the whole chain is valid.
 */
export function unp_internalize(control: Mbuf, sender: Socket): number {
  for (let m: Mbuf | null = control; m !== null; m = m.m_next) {
    if (m.m_type !== MT_CONTROL) return EINVAL;
    if (m.m_len > MCLBYTES) return EMSGSIZE;
    const table = rights.get(m);
    const error = eachcmsg(m, (b, off, len, level, type) => {
      if (level !== SOL_SOCKET) return EINVAL;
      if (type === SCM_RIGHTS) {
        const n = len - CMSG_HDRLEN;
        if (n % 4 !== 0 || table === undefined) return EINVAL;
        for (let i = 0; i < n / 4; i++) {
          const so = table[b.readInt32LE(off + CMSG_HDRLEN + 4 * i)];
          if (so === undefined) return EINVAL;
          if (!sovalid(so)) return EBADF;
        }
        return 0;
      }
      if (type === SCM_CREDS) return len === CMSG_LEN(SIZEOF_CMSGCRED) ? 0 : EINVAL;
      return EINVAL;
    });
    if (error) return error;
  }
  for (let m: Mbuf | null = control; m !== null; m = m.m_next) {
    const table = rights.get(m);
    eachcmsg(m, (b, off, len, level, type) => {
      if (type === SCM_RIGHTS && table !== undefined) {
        for (let i = 0; i < (len - CMSG_HDRLEN) / 4; i++) table[b.readInt32LE(off + CMSG_HDRLEN + 4 * i)]!.so_count++;
      } else if (type === SCM_CREDS) {
        const d = off + CMSG_HDRLEN;
        const cr = sender.so_cred;
        b.writeInt32LE(sender.so_cpid, d);
        b.writeUInt32LE(cr.cr_ruid >>> 0, d + 4);
        b.writeUInt32LE(cr.cr_uid >>> 0, d + 8);
        b.writeUInt32LE(cr.cr_rgid >>> 0, d + 12);
        const ng = Math.min(cr.cr_groups.length, CMGROUP_MAX);
        b.writeInt16LE(ng, d + 16);
        for (let i = 0; i < ng; i++) b.writeUInt32LE(cr.cr_groups[i]! >>> 0, d + 20 + 4 * i);
      }
      return 0;
    });
  }
  return 0;
}

/**
 * Undo unp_internalize's references when the message could not be queued after all (the
 * sender keeps its sockets; nothing is closed).
 */
export function unp_rollback(control: Mbuf | null): void {
  for (let m: Mbuf | null = control; m !== null; m = m.m_next) {
    const table = rights.get(m);
    if (table === undefined) continue;
    eachcmsg(m, (b, off, len, level, type) => {
      if (type === SCM_RIGHTS) {
        for (let i = 0; i < (len - CMSG_HDRLEN) / 4; i++) {
          const so = table[b.readInt32LE(off + CMSG_HDRLEN + 4 * i)];
          if (so !== undefined && so.so_count > 0) so.so_count--;
        }
      }
      return 0;
    });
  }
}

/** True if the control mbuf carries SCM_RIGHTS (MSG_PEEK never copies those). */
export function cmsg_hasrights(m: Mbuf): boolean {
  return rights.has(m);
}

/**
 * unp_dispose: a control mbuf is being discarded unread: release the in-flight references of
 * the sockets it carries (closing those that nobody else holds). `close` is soclose.
 */
export function unp_dispose(m: Mbuf, close: (so: Socket) => unknown): void {
  const table = rights.get(m);
  if (table === undefined) return;
  rights.delete(m);
  eachcmsg(m, (b, off, len, level, type) => {
    if (type === SCM_RIGHTS) {
      for (let i = 0; i < (len - CMSG_HDRLEN) / 4; i++) {
        const so = table[b.readInt32LE(off + CMSG_HDRLEN + 4 * i)];
        if (so !== undefined && sovalid(so)) void close(so);
      }
    }
    return 0;
  });
}

/**
 * unp_externalize: hand the SCM_RIGHTS of a received control mbuf to a receiver that gave
 * `controllen` bytes for its control data (soreceive's 7th argument). If the sockets do not fit
 * (an int each after the cmsghdr), they are disposed of — the in-flight references released,
 * as unp_dispose — and EMSGSIZE is returned; else 0. Other control messages are not affected.
 */
export function unp_externalize(m: Mbuf, controllen: number, close: (so: Socket) => unknown): number {
  if (!rights.has(m)) return 0;
  let nfds = 0;
  eachcmsg(m, (b, off, len, level, type) => {
    if (level === SOL_SOCKET && type === SCM_RIGHTS) nfds += Math.floor((len - CMSG_HDRLEN) / 4);
    return 0;
  });
  const room = controllen < CMSG_ALIGN(CMSG_HDRLEN) ? 0 : controllen - CMSG_ALIGN(CMSG_HDRLEN);
  if (nfds <= Math.floor(room / 4)) return 0;
  unp_dispose(m, close);
  return EMSGSIZE;
}

/**
 * The control messages of a control chain (as soreceive returns it through controlp), with
 * SCM_RIGHTS sockets and SCM_CREDS credentials decoded. Malformed mbufs end the list.
 */
export function cmsg_parse(control: Mbuf | null): Cmsg[] {
  const out: Cmsg[] = [];
  for (let m: Mbuf | null = control; m instanceof Mbuf; m = m.m_next) {
    const table = rights.get(m);
    eachcmsg(m, (b, off, len, level, type) => {
      const data = b.subarray(off + CMSG_HDRLEN, off + len);
      const c: Cmsg = { cmsg_level: level, cmsg_type: type, data };
      if (level === SOL_SOCKET && type === SCM_RIGHTS && table !== undefined) {
        c.sockets = [];
        for (let i = 0; i + 4 <= data.length; i += 4) {
          const so = table[data.readInt32LE(i)];
          if (so !== undefined) c.sockets.push(so);
        }
      } else if (level === SOL_SOCKET && type === SCM_CREDS && data.length >= SIZEOF_CMSGCRED) {
        const ng = Math.min(Math.max(data.readInt16LE(16), 0), CMGROUP_MAX);
        const groups: number[] = [];
        for (let i = 0; i < ng; i++) groups.push(data.readUInt32LE(20 + 4 * i));
        c.cred = {
          cmcred_pid: data.readInt32LE(0),
          cmcred_uid: data.readUInt32LE(4),
          cmcred_euid: data.readUInt32LE(8),
          cmcred_gid: data.readUInt32LE(12),
          cmcred_groups: groups,
        };
      }
      out.push(c);
      return 0;
    });
  }
  return out;
}

/*
 * The helpers the NFS socket code calls, in the shape of a BSD kernel's nfs/nfs_subs.c and
 * nfs/nfsm_subs.h: the RPC call header of a request (RFC 5531 §9, AUTH_NULL), the xid, the
 * realignment of a received chain and the parse position in a reply. Shared by both ports
 * (the interface they use is the same in 2009 and today). Written for this project.
 */
import {
  M_WAIT, MH_ALIGN, MT_DATA, addr, caddr, htonl, m_copyback, m_copydata, m_freemp, m_get, m_gethdr,
  m_length, m_tobuf, mtod, ntohl, u_int32_t,
} from 'sonfs/sockets';
import type { Mbuf, Ref } from 'sonfs/sockets';
import { NFSX_UNSIGNED, NFS_PROG, NFS_VER3, RPCAUTH_NULL, RPC_CALL, RPC_VER2 } from './nfs.js';
import type { Nfsreq } from './nfs.js';

/** txdr_unsigned / fxdr_unsigned: an unsigned to and from XDR (network byte order). */
export function txdr_unsigned(v: number): number {
  return htonl(v);
}

export function fxdr_unsigned(v: number): number {
  return ntohl(v);
}

let nfs_xid = 0;

/** nfs_xid_gen: the next xid of this client; the first is random. */
export function nfs_xid_gen(): number {
  if (nfs_xid === 0) nfs_xid = (Math.random() * 0x100000000) >>> 0;
  nfs_xid = (nfs_xid + 1) >>> 0;
  if (nfs_xid === 0) nfs_xid = 1;
  return nfs_xid;
}

/**
 * nfsm_rpchead: the RPC call header of `rep` for procedure `procid` of NFS version 3, with
 * AUTH_NULL credential and verifier (procedures that need no more: NULL), as a packet header
 * mbuf with room in front for the record mark. Sets rep.r_xid.
 */
export function nfsm_rpchead(rep: Nfsreq, procid: number): Mbuf {
  const m = m_gethdr(M_WAIT, MT_DATA);
  MH_ALIGN(m, 10 * NFSX_UNSIGNED);
  const tl = mtod(m, u_int32_t);
  let i = 0;
  rep.r_xid = txdr_unsigned(nfs_xid_gen());
  tl[i++] = rep.r_xid;
  tl[i++] = txdr_unsigned(RPC_CALL);
  tl[i++] = txdr_unsigned(RPC_VER2);
  tl[i++] = txdr_unsigned(NFS_PROG);
  tl[i++] = txdr_unsigned(NFS_VER3);
  tl[i++] = txdr_unsigned(procid);
  tl[i++] = txdr_unsigned(RPCAUTH_NULL); /* credential */
  tl[i++] = 0;
  tl[i++] = txdr_unsigned(RPCAUTH_NULL); /* verifier */
  tl[i++] = 0;
  m.m_len = i * NFSX_UNSIGNED;
  m.m_pkthdr.len = m.m_len;
  rep.r_procnum = procid;
  return m;
}

function aligned(m: Mbuf): boolean {
  return ((m.m_buf.byteOffset + m.m_data) & 3) === 0 && (m.m_len & 3) === 0;
}

/**
 * nfs_realign: the parse below reads 32-bit words in place, which needs every mbuf's data to
 * start on a 4-byte boundary and to be a whole number of words (received bytes need not be).
 * From the first mbuf that is not, the rest of the chain is copied into fresh mbufs.
 */
export function nfs_realign(pm: Ref<Mbuf | null>): void {
  let m: Mbuf | null;
  while ((m = pm.value) !== null) {
    if (!aligned(m)) break;
    pm = addr(m, 'm_next');
  }
  if (m === null) return;
  const n = m_get(M_WAIT, MT_DATA);
  m_copyback(n, 0, m_length(m), m_tobuf(m), M_WAIT);
  m_freemp(pm);
  pm.value = n;
}

/** struct nfsm_info: a reply and the parse position in it (mbuf and byte of its storage). */
export interface NfsmInfo {
  nmi_mrep: Mbuf;
  nmi_md: Mbuf;
  nmi_dpos: number;
}

/** The parse position at the start of reply `mrep`. */
export function nfsm_info(mrep: Mbuf): NfsmInfo {
  return { nmi_mrep: mrep, nmi_md: mrep, nmi_dpos: mrep.m_data };
}

/**
 * nfsm_dissect: the next `siz` bytes of the reply (a multiple of 4) as 32-bit words in network
 * byte order, advancing the position; null if the reply is shorter. In place when they are in
 * one mbuf; copied when they cross into the next.
 */
export function nfsm_dissect(info: NfsmInfo, siz: number): Uint32Array | null {
  let md = info.nmi_md;
  let left = md.m_data + md.m_len - info.nmi_dpos;
  while (left === 0 && md.m_next !== null) {
    md = md.m_next;
    info.nmi_md = md;
    info.nmi_dpos = md.m_data;
    left = md.m_len;
  }
  if (left >= siz) {
    const tl = u_int32_t.view(md.m_buf, info.nmi_dpos).subarray(0, siz / NFSX_UNSIGNED);
    info.nmi_dpos += siz;
    return tl;
  }
  const off = info.nmi_dpos - md.m_data;
  if (m_length(md) - off < siz) return null;
  const tl = new Uint32Array(siz / NFSX_UNSIGNED);
  m_copydata(md, off, siz, caddr(tl));
  let skip = off + siz;
  while (skip > md.m_len) {
    skip -= md.m_len;
    md = md.m_next!;
  }
  info.nmi_md = md;
  info.nmi_dpos = md.m_data + skip;
  return tl;
}

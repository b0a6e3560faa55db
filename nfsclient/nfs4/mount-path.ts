/*
 * Mounting over NFSv4 (RFC 7530 §7, RFC 8881 §7): no MOUNT protocol. The export is found by
 * walking the server's pseudo file system from its root — PUTROOTFH, LOOKUP of each component of
 * the export's path, GETFH — and what the mount needs to know of it is asked in the same COMPOUND:
 * supported_attrs, fh_expire_type, lease_time, maxread and maxwrite (for rsize and wsize), the
 * name and link limits, and in 4.1 suppattr_exclcreat (what an EXCLUSIVE4_1 create may set).
 *
 * A path longer than a COMPOUND allows (the session's ca_maxoperations) is walked in several,
 * each starting from the handle the previous one ended with.
 */

import { posix } from 'node:path';
import { NFS4_MOUNT_ATTRS, supportedOnly } from './attr-sets.js';
import { bitmap4Has } from './bitmap4.js';
import type { bitmap4 } from './bitmap4.js';
import { getattr, getfh, lookup, putfh, putrootfh } from './build.js';
import type { nfs_argop4 } from './compound.js';
import { compoundName } from './compound.js';
import { Nfs4Error } from './errors.js';
import { FATTR4_SUPPATTR_EXCLCREAT, attrmaskOf } from './fattr4.js';
import type { Fattr4Values } from './fattr4.js';
import { NFS4_OK } from './nfsstat4.js';
import type { Nfs4Client, Nfs4Ctx } from './state/client.js';

export interface Nfs4MountInfo {
  /** The export's root handle. */
  root: Buffer;
  /** Its attributes (NFS4_MOUNT_ATTRS, as far as supported). */
  attrs: Fattr4Values;
  /** The attributes the server supports (on this file system). */
  supportedAttrs: bitmap4;
  /** FH4_PERSISTENT (0) or the FH4_VOLATILE_* bits. */
  fhExpireType: number;
  /** Seconds. */
  leaseTime: number;
  /** READ and WRITE sizes: the ones asked for capped by maxread/maxwrite and the session. */
  rsize: number;
  wsize: number;
  /** 4.1: the attributes an EXCLUSIVE4_1 create may set (empty when not told). */
  suppattrExclcreat: bitmap4;
}

export interface LookupExportOptions extends Nfs4Ctx {
  /** rsize and wsize wanted (default: the client's). */
  rsize?: number;
  wsize?: number;
}

/** The components of an export path ('/export/a' → ['export', 'a']); '/' → []. */
export function pathComponents(path: string): string[] {
  if (!path.startsWith('/')) throw new RangeError(`export path must be absolute, got '${path}'`);
  const n = posix.normalize(path);
  return n.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Find the export `path` and what a mount needs to know of it.
 * @throws Nfs4Error (NOENT naming the component, ACCESS, WRONGSEC ...), the client's errors.
 */
export async function lookupExport(client: Nfs4Client, path: string, o: LookupExportOptions = {}): Promise<Nfs4MountInfo> {
  const parts = pathComponents(path);
  if (parts.includes('..')) throw new RangeError(`export path must not climb with '..': '${path}'`);
  const maxOps = client.session?.fore.ca_maxoperations ?? 64;
  /* SEQUENCE, PUTFH|PUTROOTFH and GETFH around the LOOKUPs, GETATTR at the end. */
  const perCompound = Math.max(1, maxOps - 4);
  let fh: Buffer | null = null;
  let done = 0;
  let attrs: Fattr4Values | null = null;
  do {
    const chunk = parts.slice(done, done + perCompound);
    const last = done + chunk.length === parts.length;
    const ops: nfs_argop4[] = [fh === null ? putrootfh() : putfh(fh)];
    for (const c of chunk) ops.push(lookup(c));
    ops.push(getfh());
    if (last) ops.push(getattr(NFS4_MOUNT_ATTRS));
    const res = await client.compound(ops, o);
    const results = res.resarray as readonly ({ status: number } | undefined)[];
    if (res.status !== NFS4_OK) {
      const i = results.length - 1;
      const failed = ops[i];
      const which = failed !== undefined && 'args' in failed && 'objname' in (failed.args as object)
        ? `looking up '${(failed.args as { objname: string }).objname}' of '${path}'` : `mounting '${path}'`;
      throw new Nfs4Error(res.status, { op: failed === undefined ? undefined : compoundName([failed]), compound: compoundName(ops), detail: which });
    }
    const fhRes = results[1 + chunk.length] as unknown as { resok4: { object: Buffer } };
    fh = fhRes.resok4.object;
    if (last) attrs = (results[2 + chunk.length] as unknown as { resok4: { obj_attributes: { attr_vals: Fattr4Values } } }).resok4.obj_attributes.attr_vals;
    done += chunk.length;
  } while (done < parts.length);
  const a = attrs!;
  const supported = a.supported_attrs ?? [];
  let suppattrExclcreat: bitmap4 = [];
  if (client.sessions && bitmap4Has(supported, FATTR4_SUPPATTR_EXCLCREAT)) {
    const res = await client.compound([putfh(fh!), getattr(supportedOnly(attrmaskOf(['suppattr_exclcreat']), supported))], o);
    const g = res.resarray[1];
    if (g !== undefined && g.status === NFS4_OK) suppattrExclcreat = g.resok4.obj_attributes.attr_vals.suppattr_exclcreat ?? [];
  }
  const cap = (want: number, server: bigint | undefined, session: number): number => {
    let v = Math.min(want, session);
    if (server !== undefined && server > 0n && server < BigInt(v)) v = Number(server);
    return v;
  };
  return {
    root: fh!,
    attrs: a,
    supportedAttrs: supported,
    fhExpireType: a.fh_expire_type ?? 0,
    leaseTime: a.lease_time ?? client.leaseTime,
    rsize: cap(o.rsize ?? client.maxRead, a.maxread, client.maxRead),
    wsize: cap(o.wsize ?? client.maxWrite, a.maxwrite, client.maxWrite),
    suppattrExclcreat,
  };
}

/*
 * The v4.0 client ID (RFC 7530 §9.1.1, §16.33, §16.34): SETCLIENTID with the mount's owner and
 * verifier (client-owner.ts), then SETCLIENTID_CONFIRM with what it returned.
 *
 * The callback this client gives is one the server cannot reach (program 0x40000000 at port 0 of
 * the loopback address): it serves no callbacks, so the server's callback check fails and it
 * hands out no delegations (RFC 7530 §10.2.1), which is what this client wants.
 *
 * NFS4ERR_CLID_INUSE (the id is held under another principal, §16.33.5) is answered with a
 * variant of the id (`#2`, `#3` ... appended), at most four times; the variant is kept in the owner
 * for the rest of the mount.
 */

import { Nfs4Error } from '../errors.js';
import { NFS4ERR_CLID_INUSE, NFS4_OK } from '../nfsstat4.js';
import { OP_SETCLIENTID, OP_SETCLIENTID_CONFIRM } from '../opnum.js';
import type { Nfs4, Nfs4CallOptions } from '../raw.js';
import type { ClientOwner } from './client-owner.js';

const CALLBACK = Object.freeze({ cb_program: 0x40000000, cb_location: Object.freeze({ na_r_netid: 'tcp', na_r_addr: '127.0.0.1.0.0' }) });

/**
 * Establish and confirm a v4.0 client ID. Returns the clientid.
 * @throws Nfs4Error with the failing operation's status.
 */
export async function setclientid(raw: Nfs4, owner: ClientOwner, o?: Nfs4CallOptions): Promise<bigint> {
  const base = owner.ownerid;
  for (let variant = 1; ; variant++) {
    const res = await raw.compound([{
      argop: OP_SETCLIENTID,
      args: { client: { verifier: owner.verifier, id: owner.ownerid }, callback: CALLBACK, callback_ident: 1 },
    }], o);
    const r = res.resarray[0];
    if (r === undefined) throw new Nfs4Error(res.status, { compound: 'SETCLIENTID' });
    if (r.status === NFS4ERR_CLID_INUSE && variant < 5) {
      owner.ownerid = Buffer.concat([base, Buffer.from(`#${variant + 1}`)]);
      continue;
    }
    if (r.status !== NFS4_OK) throw new Nfs4Error(r.status, { op: 'SETCLIENTID', compound: 'SETCLIENTID' });
    const { clientid, setclientid_confirm } = r.resok4;
    const c = await raw.compound([{ argop: OP_SETCLIENTID_CONFIRM, args: { clientid, setclientid_confirm } }], o);
    const cr = c.resarray[0];
    if (cr === undefined || cr.status !== NFS4_OK) throw new Nfs4Error(cr?.status ?? c.status, { op: 'SETCLIENTID_CONFIRM', compound: 'SETCLIENTID_CONFIRM' });
    return clientid;
  }
}

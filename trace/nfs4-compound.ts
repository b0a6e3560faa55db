/*
 * The operations of an NFSv4 COMPOUND call (RFC 7531, RFC 8881 §16.2), read from the first bytes
 * of the message the trace keeps (rpc-decode.ts), for naming it: "SEQUENCE PUTFH READ".
 *
 * COMPOUND4args is tag, minorversion and nfs_argop4 argarray<>: each operation's number followed
 * by its arguments, whose length depends on the operation. So each operation's arguments are
 * stepped over (never decoded, never copied) by the rules of its XDR, until the operations end or
 * the kept bytes do (a WRITE's data ends them): the list then ends with OPS_TRUNCATED. An operation
 * this reader does not know how to step over also ends it there.
 */

/** Marks a list cut short (more operations followed than the kept bytes held). */
export const OPS_TRUNCATED = 0;

/* A cursor over b[0, n); every step returns false once it would go past n. */
class Cur {
  constructor(readonly b: Buffer, public p: number, readonly n: number) {}

  skip(k: number): boolean {
    if (k < 0 || this.p + k > this.n) return false;
    this.p += k;
    return true;
  }

  u32(): number {
    if (this.p + 4 > this.n) return -1;
    const v = this.b.readUInt32BE(this.p);
    this.p += 4;
    return v;
  }

  /** opaque<> / string<>: length, bytes, padding. */
  opaque(): boolean {
    const len = this.u32();
    return len >= 0 && len <= 0x7fffffff && this.skip((len + 3) & ~3);
  }

  /** T<>: a count of elements each stepped over by `item`. */
  array(item: (c: Cur) => boolean): boolean {
    const k = this.u32();
    if (k < 0 || k > 4096) return false;
    for (let i = 0; i < k; i++) if (!item(this)) return false;
    return true;
  }

  bitmap(): boolean {
    const k = this.u32();
    return k >= 0 && k <= 64 && this.skip(4 * k);
  }

  fattr4(): boolean {
    return this.bitmap() && this.opaque();
  }
}

const fixed = (k: number) => (c: Cur): boolean => c.skip(k);
const opaque = (c: Cur): boolean => c.opaque();
const none = (): boolean => true;

/* createhow4 (RFC 8881 §18.16): UNCHECKED4/GUARDED4 fattr4, EXCLUSIVE4 verifier, EXCLUSIVE4_1 both. */
function createhow(c: Cur): boolean {
  const mode = c.u32();
  if (mode === 0 || mode === 1) return c.fattr4();
  if (mode === 2) return c.skip(8);
  if (mode === 3) return c.skip(8) && c.fattr4();
  return false;
}

/* open_claim4. */
function claim(c: Cur): boolean {
  switch (c.u32()) {
    case 0: case 3: return c.opaque();
    case 1: return c.skip(4);
    case 2: return c.skip(16) && c.opaque();
    case 4: case 6: return true;
    case 5: return c.skip(16);
    default: return false;
  }
}

/* channel_attrs4: six counts and ca_rdma_ird<1>. */
const channel = (c: Cur): boolean => c.skip(24) && c.array(fixed(4));

/* callback_sec_parms4: AUTH_NONE; AUTH_SYS's authsys_parms; RPCSEC_GSS's service and two handles. */
function secParms(c: Cur): boolean {
  const flavor = c.u32();
  if (flavor === 0) return true;
  if (flavor === 1) return c.skip(4) && c.opaque() && c.skip(8) && c.array(fixed(4));
  if (flavor === 6) return c.skip(4) && c.opaque() && c.opaque();
  return false;
}

/* state_protect4_a. */
function stateProtect(c: Cur): boolean {
  const how = c.u32();
  if (how === 0) return true;
  if (how === 1) return c.bitmap() && c.bitmap();
  if (how === 2) return c.bitmap() && c.bitmap() && c.array(opaque) && c.array(opaque) && c.skip(8);
  return false;
}

/* Each operation's arguments, stepped over (by operation number). */
const ARGS: Record<number, (c: Cur) => boolean> = {
  3: fixed(4), // ACCESS
  4: fixed(20), // CLOSE: seqid, stateid
  5: fixed(12), // COMMIT
  6: (c) => { // CREATE: createtype4, name, fattr4
    const type = c.u32();
    const arm = type === 5 ? c.opaque() : type === 3 || type === 4 ? c.skip(8) : type >= 1 && type <= 9;
    return arm && c.opaque() && c.fattr4();
  },
  7: fixed(8), // DELEGPURGE
  8: fixed(16), // DELEGRETURN
  9: (c) => c.bitmap(), // GETATTR
  10: none, // GETFH
  11: opaque, // LINK
  15: opaque, // LOOKUP
  16: none, // LOOKUPP
  17: (c) => c.fattr4(), // NVERIFY
  18: (c) => { // OPEN: seqid, share_access, share_deny, owner, openflag4, open_claim4
    if (!c.skip(12 + 8) || !c.opaque()) return false;
    const opentype = c.u32();
    if (opentype === 1 && !createhow(c)) return false;
    return opentype >= 0 && opentype <= 1 && claim(c);
  },
  19: fixed(4), // OPENATTR
  20: fixed(20), // OPEN_CONFIRM
  21: fixed(28), // OPEN_DOWNGRADE
  22: opaque, // PUTFH
  23: none, // PUTPUBFH
  24: none, // PUTROOTFH
  25: fixed(28), // READ
  26: (c) => c.skip(24) && c.bitmap(), // READDIR
  27: none, // READLINK
  28: opaque, // REMOVE
  29: (c) => c.opaque() && c.opaque(), // RENAME
  30: fixed(8), // RENEW
  31: none, // RESTOREFH
  32: none, // SAVEFH
  33: opaque, // SECINFO
  34: (c) => c.skip(16) && c.fattr4(), // SETATTR
  35: (c) => c.skip(8) && c.opaque() && c.skip(4) && c.opaque() && c.opaque() && c.skip(4), // SETCLIENTID
  36: fixed(16), // SETCLIENTID_CONFIRM
  37: (c) => c.fattr4(), // VERIFY
  38: (c) => c.skip(28) && c.opaque(), // WRITE
  39: (c) => c.skip(8) && c.opaque(), // RELEASE_LOCKOWNER
  42: (c) => c.skip(8) && c.opaque() && c.skip(4) && stateProtect(c) && c.array((x) => x.opaque() && x.opaque() && x.skip(12)), // EXCHANGE_ID
  43: (c) => c.skip(16) && channel(c) && channel(c) && c.skip(4) && c.array(secParms), // CREATE_SESSION
  44: fixed(16), // DESTROY_SESSION
  45: fixed(16), // FREE_STATEID
  52: fixed(4), // SECINFO_NO_NAME
  53: fixed(32), // SEQUENCE
  55: (c) => c.array(fixed(16)), // TEST_STATEID
  57: fixed(8), // DESTROY_CLIENTID
  58: fixed(4), // RECLAIM_COMPLETE
};

/**
 * The operation numbers of the COMPOUND4args at b[at...], of which b holds the first n bytes; the
 * list ends with OPS_TRUNCATED when they are not all there. Null when the bytes are not a COMPOUND.
 */
export function compoundOps(b: Buffer, at: number, n: number): number[] | null {
  const c = new Cur(b, at, Math.min(n, b.length));
  if (!c.opaque()) return null;
  if (c.u32() < 0) return null;
  const count = c.u32();
  if (count < 0 || count > 65536) return null;
  const ops: number[] = [];
  for (let i = 0; i < count; i++) {
    const op = c.u32();
    if (op < 0) {
      ops.push(OPS_TRUNCATED);
      break;
    }
    ops.push(op);
    const step = ARGS[op];
    if (i + 1 < count && (step === undefined || !step(c))) {
      ops.push(OPS_TRUNCATED);
      break;
    }
  }
  return ops;
}

/** The offset of the arguments in a call message of which b holds the first n bytes: after the credential and verifier. */
export function callArgsOffset(b: Buffer, n: number): number {
  const c = new Cur(b, 24, Math.min(n, b.length));
  if (c.u32() < 0 || !c.opaque()) return -1;
  if (c.u32() < 0 || !c.opaque()) return -1;
  return c.p;
}

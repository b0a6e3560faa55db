/*
 * opaque_auth (RFC 5531 §8.2): { auth_flavor flavor; opaque body<400>; }, the credential and
 * verifier of every call and the verifier of every accepted reply.
 */

import { XdrEncodeError } from '../xdr/errors.js';
import { MAX_AUTH_BYTES } from '../msg/constants.js';
import type { XdrCodec } from '../xdr/codec.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';

export interface opaque_auth {
  flavor: number;
  /** At most MAX_AUTH_BYTES (400). On decode, a view on the message's storage when contiguous. */
  body: Buffer;
}

export const opaque_auth: XdrCodec<opaque_auth> = {
  encode(w: XdrWriter, v: opaque_auth): void {
    w.enum(v.flavor, 'opaque_auth.flavor');
    w.opaque(v.body, MAX_AUTH_BYTES, 'opaque_auth.body');
  },
  decode(r: XdrReader): opaque_auth {
    const flavor = r.int('opaque_auth.flavor');
    const body = r.opaque(MAX_AUTH_BYTES, 'opaque_auth.body');
    return { flavor, body };
  },
};

/**
 * What a call carries to authenticate itself: the credential and verifier, encoded once (they
 * are the same for every call made with this identity) and appended to each call header.
 */
export interface RpcAuth {
  /** The credential's flavor (AUTH_NONE, AUTH_SYS ...). */
  readonly flavor: number;
  /** cred then verf, each an encoded opaque_auth. Shared: never modify. */
  readonly credverf: Buffer;
}

/** Encode a credential and verifier once, for an RpcAuth. */
export function encodeCredVerf(cred: opaque_auth, verf: opaque_auth): Buffer {
  const len = (b: Buffer): number => 8 + b.length + (-b.length & 3);
  const out = Buffer.alloc(len(cred.body) + len(verf.body));
  let at = 0;
  for (const a of [cred, verf]) {
    if (a.body.length > MAX_AUTH_BYTES) throw new XdrEncodeError(`body of ${a.body.length} bytes exceeds ${MAX_AUTH_BYTES}`, 'opaque_auth.body');
    if (!Number.isInteger(a.flavor) || a.flavor < -0x80000000 || a.flavor > 0x7fffffff) throw new XdrEncodeError(`bad flavor ${a.flavor}`, 'opaque_auth.flavor');
    out.writeInt32BE(a.flavor, at);
    out.writeUInt32BE(a.body.length, at + 4);
    a.body.copy(out, at + 8);
    at += len(a.body);
  }
  return out;
}

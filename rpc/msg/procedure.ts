/*
 * A procedure table entry: the number, the RFC's name and the codecs of arguments and results, so
 * a raw tier (one function per procedure) and tracing can be table-driven.
 */

import type { XdrCodec } from '../xdr/codec.js';

export interface RpcProcedure<A, R> {
  readonly proc: number;
  readonly name: string;
  readonly args: XdrCodec<A>;
  readonly res: XdrCodec<R>;
}

/** Build a (frozen) procedure table entry. */
export function rpcProcedure<A, R>(proc: number, name: string, args: XdrCodec<A>, res: XdrCodec<R>): RpcProcedure<A, R> {
  return Object.freeze({ proc, name, args, res });
}

export * from './constants.js';
export { decodeCallHeader, encodeCallHeader, encodeCallHeaderFields } from './call.js';
export type { RpcCallHeader } from './call.js';
export { decodeReplyHeader, decodeSuccessfulReply, encodeReplyHeader, replyError } from './reply.js';
export type {
  RpcAcceptedReplyHeader, RpcAuthErrorReplyHeader, RpcMismatchReplyHeader, RpcProgMismatchReplyHeader,
  RpcReplyHeader, mismatch_info,
} from './reply.js';
export { peekReplyXid, peekXid } from './xid.js';
export { rpcProcedure } from './procedure.js';
export type { RpcProcedure } from './procedure.js';

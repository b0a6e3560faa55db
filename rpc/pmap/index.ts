export * from './constants.js';
export { PMAP2_PROCEDURES, call_args, call_result, mapping, pmaplist } from './pmap2.js';
export {
  RPCB3_PROCEDURES, RPCB4_PROCEDURES, netbuf, rpcb, rpcb_entry, rpcb_entry_list_ptr, rpcb_rmtcallargs,
  rpcb_rmtcallres, rpcblist_ptr,
} from './rpcb.js';
export type { rp__list } from './rpcb.js';
export { formatUaddr, parseUaddr } from './uaddr.js';
export type { UniversalAddress } from './uaddr.js';

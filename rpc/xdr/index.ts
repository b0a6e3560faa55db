export { XdrReader } from './reader.js';
export { XdrWriter } from './writer.js';
export type { XdrMark, XdrWriterOptions } from './writer.js';
export type { XdrCodec } from './codec.js';
export { xdr_bool, xdr_list, xdr_optional, xdr_string, xdr_u_int, xdr_void } from './codec.js';
export { hasEscapedBytes, utf8bDecode, utf8bEncode } from './utf8b.js';

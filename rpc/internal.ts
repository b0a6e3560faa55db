/*
 * What the layers above rpc/ in this repository may use beyond the public index: the
 * instrumentation seam (instrument.ts; trace/ installs it), and the helpers the CLI and the NFS
 * client share with the RPC client. Not part of the package's API.
 */
export { instrument, uninstrument } from './instrument.js';
export type { Instrumentation } from './instrument.js';
export { resolveEndpoint } from './client/connect.js';
export { randomBytes } from './client/random.js';
export { xid_random } from './client/xid.js';

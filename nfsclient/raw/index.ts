/* The raw tier: MOUNT v3 and NFSv3, one method per procedure, results with their status. */
export { Mount3 } from './mount3.js';
export { Nfs3 } from './nfs3.js';
export type { Nfs3Args, Nfs3CallObserver, Nfs3Res, TrackedResult } from './nfs3.js';
export type { RawCallOptions } from './call-options.js';

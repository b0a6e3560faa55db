export * from './constants.js';
export * from './mountstat3.js';
export { dirpath, exports, fhandle3, groups, mountlist, mountres3, name } from './types.js';
export type { exportnode, mountbody, mountres3_ok } from './types.js';
export { MOUNT3_PROCEDURES, MOUNT3_PROCEDURE_BY_NUMBER } from './procs.js';

/* NFSv3 wire types and codecs (RFC 1813), the procedure table and the nfsstat3 table. */
export * from './constants.js';
export * from './nfsstat3.js';
export * from './basic.js';
export * from './attr.js';
export * from './sattr.js';
export * from './result.js';
export * from './proc-attr.js';
export * from './proc-lookup.js';
export * from './proc-io.js';
export * from './proc-create.js';
export * from './proc-remove.js';
export * from './proc-readdir.js';
export * from './proc-fs.js';
export * from './procs.js';

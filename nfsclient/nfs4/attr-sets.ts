/*
 * The attribute sets the client asks for, as bitmaps (RFC 7530 §5). Each is intersected with the
 * server's supported_attrs before use (supportedOnly): a server answers a request for an
 * unsupported attribute by leaving it out, but some reject one they do not know.
 */

import { bitmap4And } from './bitmap4.js';
import type { bitmap4 } from './bitmap4.js';
import { attrmaskOf } from './fattr4.js';

/** What stat(2) needs (the core's NfsAttrs): type, mode, links, owner, size, times, ids, change. */
export const NFS4_STAT_ATTRS: bitmap4 = attrmaskOf([
  'type', 'change', 'size', 'fsid', 'fileid', 'mode', 'numlinks', 'owner', 'owner_group', 'rawdev', 'space_used',
  'time_access', 'time_create', 'time_metadata', 'time_modify', 'mounted_on_fileid',
]);

/** READDIR entries: stat's attributes, the handle, and rdattr_error so one bad entry fails alone. */
export const NFS4_READDIR_ATTRS: bitmap4 = attrmaskOf([
  'type', 'change', 'size', 'fsid', 'rdattr_error', 'filehandle', 'fileid', 'mode', 'numlinks', 'owner', 'owner_group',
  'rawdev', 'space_used', 'time_access', 'time_create', 'time_metadata', 'time_modify', 'mounted_on_fileid',
]);

/** statfs(2): space and files. */
export const NFS4_STATFS_ATTRS: bitmap4 = attrmaskOf([
  'files_avail', 'files_free', 'files_total', 'space_avail', 'space_free', 'space_total', 'maxname',
]);

/** At mount: what the server supports and its limits (RFC 7530 §5.8.1, §5.8.2). */
export const NFS4_MOUNT_ATTRS: bitmap4 = attrmaskOf([
  'supported_attrs', 'type', 'fh_expire_type', 'fsid', 'lease_time', 'fileid', 'maxfilesize', 'maxlink', 'maxname',
  'maxread', 'maxwrite', 'link_support', 'symlink_support', 'cansettime', 'case_insensitive', 'case_preserving',
  'chown_restricted', 'no_trunc', 'time_delta',
]);

/** `wanted` restricted to what the server supports. */
export function supportedOnly(wanted: bitmap4, supported: bitmap4 | undefined): bitmap4 {
  return supported === undefined ? wanted : bitmap4And(wanted, supported);
}

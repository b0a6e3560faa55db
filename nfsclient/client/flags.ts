/*
 * open() flags as Node takes them: the strings ('r', 'r+', 'rs+', 'w', 'wx', 'w+', 'a', 'ax',
 * 'a+', ...) or a number made of node:fs constants (O_RDONLY, O_CREAT | O_EXCL ...), read with
 * this platform's values, as Node itself does.
 */
import { constants as fsc } from 'node:fs';
import { EINVAL } from '../../sockets/index.js';
import { NfsError } from '../errors.js';
import type { OpCtx } from './session.js';

export interface OpenFlags {
  read: boolean;
  write: boolean;
  create: boolean;
  exclusive: boolean;
  truncate: boolean;
  append: boolean;
  /** O_SYNC / O_DSYNC: every write is on stable storage before it returns. */
  sync: boolean;
  /** O_NOFOLLOW: a symbolic link as the last component is ELOOP. */
  noFollow: boolean;
  /** O_DIRECTORY: anything but a directory is ENOTDIR. */
  directory: boolean;
}

const STRINGS: Record<string, number> = {
  r: fsc.O_RDONLY,
  rs: fsc.O_RDONLY | fsc.O_SYNC,
  sr: fsc.O_RDONLY | fsc.O_SYNC,
  'r+': fsc.O_RDWR,
  'rs+': fsc.O_RDWR | fsc.O_SYNC,
  'sr+': fsc.O_RDWR | fsc.O_SYNC,
  w: fsc.O_TRUNC | fsc.O_CREAT | fsc.O_WRONLY,
  wx: fsc.O_TRUNC | fsc.O_CREAT | fsc.O_WRONLY | fsc.O_EXCL,
  xw: fsc.O_TRUNC | fsc.O_CREAT | fsc.O_WRONLY | fsc.O_EXCL,
  'w+': fsc.O_TRUNC | fsc.O_CREAT | fsc.O_RDWR,
  'wx+': fsc.O_TRUNC | fsc.O_CREAT | fsc.O_RDWR | fsc.O_EXCL,
  'xw+': fsc.O_TRUNC | fsc.O_CREAT | fsc.O_RDWR | fsc.O_EXCL,
  a: fsc.O_APPEND | fsc.O_CREAT | fsc.O_WRONLY,
  ax: fsc.O_APPEND | fsc.O_CREAT | fsc.O_WRONLY | fsc.O_EXCL,
  xa: fsc.O_APPEND | fsc.O_CREAT | fsc.O_WRONLY | fsc.O_EXCL,
  as: fsc.O_APPEND | fsc.O_CREAT | fsc.O_WRONLY | fsc.O_SYNC,
  sa: fsc.O_APPEND | fsc.O_CREAT | fsc.O_WRONLY | fsc.O_SYNC,
  'a+': fsc.O_APPEND | fsc.O_CREAT | fsc.O_RDWR,
  'ax+': fsc.O_APPEND | fsc.O_CREAT | fsc.O_RDWR | fsc.O_EXCL,
  'xa+': fsc.O_APPEND | fsc.O_CREAT | fsc.O_RDWR | fsc.O_EXCL,
  'as+': fsc.O_APPEND | fsc.O_CREAT | fsc.O_RDWR | fsc.O_SYNC,
  'sa+': fsc.O_APPEND | fsc.O_CREAT | fsc.O_RDWR | fsc.O_SYNC,
};

/** Parse Node-style open flags (default 'r'). @throws NfsError EINVAL for unknown flags. */
export function parseFlags(flags: string | number | undefined, ctx: OpCtx): OpenFlags {
  let n: number;
  if (flags === undefined || flags === null) n = fsc.O_RDONLY;
  else if (typeof flags === 'number' && Number.isInteger(flags) && flags >= 0) n = flags;
  else if (typeof flags === 'string' && flags in STRINGS) n = STRINGS[flags]!;
  else throw new NfsError(EINVAL, { ...ctx, detail: `invalid open flags ${JSON.stringify(flags)}` });
  const acc = n & (fsc.O_RDONLY | fsc.O_WRONLY | fsc.O_RDWR);
  return {
    read: acc === fsc.O_RDONLY || acc === fsc.O_RDWR,
    write: acc === fsc.O_WRONLY || acc === fsc.O_RDWR,
    create: (n & fsc.O_CREAT) !== 0,
    exclusive: (n & fsc.O_EXCL) !== 0,
    truncate: (n & fsc.O_TRUNC) !== 0,
    append: (n & fsc.O_APPEND) !== 0,
    sync: (n & (fsc.O_SYNC | fsc.O_DSYNC)) !== 0,
    noFollow: (n & (fsc.O_NOFOLLOW ?? 0)) !== 0,
    directory: (n & (fsc.O_DIRECTORY ?? 0)) !== 0,
  };
}

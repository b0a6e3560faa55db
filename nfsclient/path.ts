/*
 * Remote path handling. Paths given to the high tier are relative to the mount's root; "/" and
 * "" both name the root. The resolver walks components() with a stack of the directories it has
 * resolved: "." is skipped, ".." pops the stack and, at the root, stays at the root — so no path,
 * however many ".." it holds, becomes a LOOKUP outside the mounted export (the server is never
 * asked for ".."). A symbolic link's target is spliced in front of the remaining components
 * (an absolute target restarts from the mount root), so ".." after a link is resolved physically,
 * as POSIX does; the number of links followed is bounded (MAXSYMLINKS → ELOOP).
 */

/** Most symbolic links followed while resolving one path (OpenBSD MAXSYMLINKS). */
export const MAXSYMLINKS = 32;

/** Thrown for a malformed path; the caller maps it to an NfsError. */
export class PathError extends Error {
  override name = 'PathError';
  constructor(
    readonly code: 'EINVAL' | 'ENAMETOOLONG',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Split a path into its components after lexical "." and ".." processing, relative to `base`
 * (components of the directory a relative symlink target is read in). Empty components are
 * skipped. A NUL anywhere is EINVAL; a component longer than `nameMax` bytes is ENAMETOOLONG.
 */
export function splitPath(path: string, base: readonly string[] = [], nameMax = 255): string[] {
  if (typeof path !== 'string') throw new PathError('EINVAL', 'path must be a string');
  if (path.includes('\0')) throw new PathError('EINVAL', 'path contains a NUL byte');
  const out = path.startsWith('/') ? [] : [...base];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      out.pop(); /* at the root, ".." is the root */
      continue;
    }
    if (Buffer.byteLength(c) > nameMax) throw new PathError('ENAMETOOLONG', `component '${c.slice(0, 32)}...' is longer than ${nameMax} bytes`);
    out.push(c);
  }
  return out;
}

/**
 * The components of a path as given, for the resolver: empty components and "." are skipped,
 * ".." is kept. A NUL is EINVAL; a component longer than `nameMax` bytes is ENAMETOOLONG.
 */
export function components(path: string, nameMax = 255): string[] {
  if (typeof path !== 'string') throw new PathError('EINVAL', 'path must be a string');
  if (path.includes('\0')) throw new PathError('EINVAL', 'path contains a NUL byte');
  const out: string[] = [];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c !== '..' && Buffer.byteLength(c) > nameMax) {
      throw new PathError('ENAMETOOLONG', `component '${c.slice(0, 32)}...' is longer than ${nameMax} bytes`);
    }
    out.push(c);
  }
  return out;
}

/** The canonical form of a path: "/" plus its components. */
export function normalizePath(path: string): string {
  return '/' + splitPath(path).join('/');
}

/** The parent's components and the last name; the root has no name (returns null). */
export function splitParent(path: string, nameMax = 255): { parent: string[]; name: string } | null {
  const parts = splitPath(path, [], nameMax);
  const name = parts.pop();
  return name === undefined ? null : { parent: parts, name };
}

/** Join components back into an absolute mount-relative path. */
export function joinPath(parts: readonly string[]): string {
  return '/' + parts.join('/');
}

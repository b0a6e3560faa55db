/*
 * How the CLI words an error: coreutils' style, "cannot remove '/export/x': No such file or
 * directory". The text after the colon is strerror(3) of the error's errno (the BSD table of
 * sonfs/sockets, so the wording is the same on every platform). Failures to reach or mount a
 * server keep the part of the library's explanation a user acts on: which address could not be
 * reached, which export was refused and what the server does export, and a listing the server
 * sends in a circle (ELOOP, whose strerror speaks of symbolic links).
 */
import { errno as errnoTable, strerror } from '../../sockets/errno.js';
import { isNfsError } from '../../nfsclient/errors.js';

/** Node's (or sonfs's) string code of an error, if it has one. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/* The explanation of an NfsError that a user needs, or null when strerror says it all. */
function detailOf(e: { detail: string | undefined; syscall: string }): string | null {
  if (e.detail === undefined) return null;
  const detail = e.detail.replace(/ \(program \d+ version \d+ procedure \d+, xid \d+\)$/, '');
  const connecting = /\(connecting to ([^)]*)\)/.exec(detail);
  if (connecting !== null) return `connecting to ${connecting[1]}`;
  const pmap = /^asking the portmapper of (\S+?):/.exec(detail);
  if (pmap !== null) return `asking the portmapper of ${pmap[1]}`;
  /* ELOOP from a listing is not about links: say what the server did (nfsclient/client/dir-walk.ts). */
  const loop = /^readdir loop: the server (\S+) (.*) \((cookie [^)]*)\) listing/.exec(detail);
  if (loop !== null) return `readdir loop: the server ${loop[1]} ${loop[2]} (${loop[3]})`;
  if (e.syscall === 'mount' || e.syscall === 'showmount') return detail;
  return null;
}

/** The short reason of an error: "No such file or directory", or its message when it has no errno. */
export function reason(e: unknown): string {
  if (isNfsError(e)) {
    const detail = detailOf(e);
    return detail === null ? strerror(e.errno) : `${strerror(e.errno)} (${detail})`;
  }
  const code = errorCode(e);
  if (code !== undefined && code in errnoTable) return strerror((errnoTable as Record<string, number>)[code]!);
  return (e as { message?: unknown } | null)?.message?.toString() ?? String(e);
}

/** "cannot <what> '<path>': <reason>". */
export function cannot(what: string, path: string, e: unknown): string {
  return `cannot ${what} '${path}': ${reason(e)}`;
}

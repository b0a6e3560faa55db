import type { GaneshaPorts } from './ganesha-types.js';

/**
 * A libnfs-style URL (the form sonfs's mount() and Debian's nfs-ls/nfs-cat/nfs-cp accept):
 * nfs://HOST/PATH?nfsport=…&mountport=…&version=3, then `params` (which may override version).
 * `path` is the server-side path and must start with '/'.
 */
export function nfsUrl(host: string, ports: Pick<GaneshaPorts, 'nfs' | 'mount'>, path = '/export',
  params: Record<string, string | number> = {}): string {
  if (!path.startsWith('/')) throw new Error(`nfsUrl(): path must start with '/', got '${path}'`);
  const query = new URLSearchParams({
    nfsport: String(ports.nfs), mountport: String(ports.mount), version: '3',
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  const encodedPath = path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  return `nfs://${host}${encodedPath}?${query.toString()}`;
}

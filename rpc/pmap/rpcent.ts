/*
 * RPC program names (getrpcbynumber(3), getrpcbyname(3)): the rpc(5) database /etc/rpc —
 * "name number alias..." per line, '#' comments — or, where the file is missing, a built-in
 * table of the well-known programs (the usual /etc/rpc entries).
 */
import { readFileSync } from 'node:fs';

export interface RpcEnt {
  name: string;
  number: number;
  aliases: string[];
}

/** The well-known programs, as /etc/rpc lists them. */
/* Pure: a bundle that does not use the table leaves it out. */
export const BUILTIN_RPC_ENTRIES: readonly RpcEnt[] = /* @__PURE__ */ Object.freeze([
  ['portmapper', 100000, 'portmap sunrpc rpcbind'], ['rstatd', 100001, 'rstat rstat_svc rup perfmeter'],
  ['rusersd', 100002, 'rusers'], ['nfs', 100003, 'nfsprog'], ['ypserv', 100004, 'ypprog'],
  ['mountd', 100005, 'mount showmount'], ['ypbind', 100007, ''], ['walld', 100008, 'rwall shutdown'],
  ['yppasswdd', 100009, 'yppasswd'], ['etherstatd', 100010, 'etherstat'], ['rquotad', 100011, 'rquotaprog quota rquota'],
  ['sprayd', 100012, 'spray'], ['3270_mapper', 100013, ''], ['rje_mapper', 100014, ''],
  ['selection_svc', 100015, 'selnsvc'], ['database_svc', 100016, ''], ['rexd', 100017, 'rex'], ['alis', 100018, ''],
  ['sched', 100019, ''], ['llockmgr', 100020, ''], ['nlockmgr', 100021, ''], ['x25.inr', 100022, ''],
  ['statmon', 100023, ''], ['status', 100024, ''], ['bootparam', 100026, ''], ['ypupdated', 100028, 'ypupdate'],
  ['keyserv', 100029, 'keyserver'], ['tfsd', 100037, ''], ['nsed', 100038, ''], ['nsemntd', 100039, ''],
  ['ypxfrd', 100069, ''], ['nfs_acl', 100227, ''], ['pcnfsd', 150001, ''], ['amd', 300019, 'amq'],
  ['sgi_fam', 391002, ''], ['ugidd', 545580417, ''], ['fypxfrd', 600100069, 'freebsd-ypxfrd'], ['bwnfsd', 788585389, ''],
].map(([name, number, aliases]) => Object.freeze({
  name: name as string, number: number as number, aliases: (aliases as string).split(' ').filter(Boolean),
})));

/** Parse rpc(5) text. Malformed lines are skipped. */
export function parseRpcDatabase(text: string): RpcEnt[] {
  const out: RpcEnt[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [name, num, ...aliases] = line.split(/\s+/);
    if (name === undefined || num === undefined || !/^\d+$/.test(num)) continue;
    const number = Number(num);
    if (number > 0xffffffff) continue;
    out.push({ name, number, aliases });
  }
  return out;
}

/** The entries of `path` (default /etc/rpc), or the built-in table if it cannot be read. */
export function loadRpcDatabase(path = '/etc/rpc'): readonly RpcEnt[] {
  try {
    return parseRpcDatabase(readFileSync(path, 'utf8'));
  } catch {
    return BUILTIN_RPC_ENTRIES;
  }
}

/** getrpcbynumber(3): the first entry for `number`. */
export function getrpcbynumber(number: number, db: readonly RpcEnt[] = loadRpcDatabase()): RpcEnt | undefined {
  return db.find((e) => e.number === number);
}

/** getrpcbyname(3): the first entry named `name` or with `name` as an alias. */
export function getrpcbyname(name: string, db: readonly RpcEnt[] = loadRpcDatabase()): RpcEnt | undefined {
  return db.find((e) => e.name === name || e.aliases.includes(name));
}

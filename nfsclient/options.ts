/*
 * Mount options, from an nfs:// URL or from code.
 *
 * URLs follow libnfs's form, nfs://[user@]server[:port]/path[?arg=val&...] (RFC 2224 style, with
 * %xx escapes), and accept libnfs's argument names (version, nfsport, mountport, uid, gid, timeo,
 * retrans, rsize, wsize, readonly) plus the Linux nfs(5) names users know (proto, soft/hard,
 * actimeo, acregmin/acregmax/acdirmin/acdirmax, noac, lookupcache, readahead) and this project's
 * own (groups, resvport, mountproto, rdirplus, cto, readdir, trace, tracedata). Unknown arguments are an
 * error, never silently ignored: a typo in "acregmax" must not leave the cache at its default.
 */

export type Proto = 'tcp' | 'udp';
export type LookupCache = 'all' | 'pos' | 'none';

/** Everything that shapes a mount. Times are in seconds unless stated; timeo is in deciseconds. */
export interface MountOptions {
  /** Server host name or address. sonfs only ever sends to what this resolves to. */
  host: string;
  /** The exported directory to mount, e.g. "/export". */
  export: string;
  /** NFS protocol version: only 3 is implemented. */
  version: 3;
  /** NFS port; 0 asks the server's portmapper. */
  nfsport: number;
  /** MOUNT port; 0 asks the server's portmapper. */
  mountport: number;
  /** Portmapper port (111). */
  pmapport: number;
  /** Transport for NFS. */
  proto: Proto;
  /** Transport for MOUNT (defaults to proto). */
  mountproto: Proto;
  /** AUTH_SYS identity. */
  uid: number;
  gid: number;
  groups: number[];
  /**
   * RPC timeout before the first retransmission, in deciseconds (nfs(5), libnfs). Default as
   * nfs(5): 600 over TCP, 11 over UDP (where it starts the RTT estimator, which then sets each
   * procedure class's timeout). Applies to MOUNT too when MOUNT uses the same transport.
   */
  timeo: number;
  /** Retransmissions before a soft mount gives up (and a hard mount reports "not responding"). Default 2 over TCP, 3 over UDP. */
  retrans: number;
  /** Soft mounts fail calls with ETIMEDOUT after `retrans`; hard mounts retry forever. */
  soft: boolean;
  /** Largest READ/WRITE sizes wanted; the server's FSINFO maxima cap them. 0 = the server's preference. */
  rsize: number;
  wsize: number;
  /** READDIR(PLUS) reply size wanted (bytes); capped by FSINFO dtpref. */
  readdirsize: number;
  /** Read-ahead depth in rsize blocks for sequential reads (0 disables). */
  readahead: number;
  /** Attribute cache lifetimes (seconds). noac turns the cache off. */
  acregmin: number;
  acregmax: number;
  acdirmin: number;
  acdirmax: number;
  noac: boolean;
  /** Name cache: positive and negative entries, positive only, or none. */
  lookupcache: LookupCache;
  /** Close-to-open consistency (GETATTR on open, flush and COMMIT before close returns). */
  cto: boolean;
  /** Use READDIRPLUS for listings (falls back to READDIR if the server says NOTSUPP). */
  rdirplus: boolean;
  /** Refuse every modifying call locally with EROFS. */
  readonly: boolean;
  /** Bind a reserved source port when the credential is uid 0. */
  resvport: boolean;
  /**
   * Record a trace of the process's socket and RPC traffic to this file while the mount lives
   * (sonfs trace format, docs/trace.md); null: none. Applied around the mount by whoever mounts
   * with tracing — the sonfs command, or traceMount() of sonfs/trace — not by mount() itself,
   * which refuses it (the client does not depend on the trace layer: docs/architecture.md).
   */
  trace: string | null;
  /** With `trace`: keep every byte moved (credentials, file handles, file data), as replay needs. Default false. */
  traceData: boolean;
}

/** nfs(5)'s timeo and retrans for a transport. */
export function transportDefaults(proto: Proto): { timeo: number; retrans: number } {
  return proto === 'udp' ? { timeo: 11, retrans: 3 } : { timeo: 600, retrans: 2 };
}

/* timeo and retrans not given explicitly follow the NFS transport (nfs(5)). */
function applyTransportDefaults(o: MountOptions, given: (k: 'timeo' | 'retrans') => boolean): void {
  const d = transportDefaults(o.proto);
  if (!given('timeo')) o.timeo = d.timeo;
  if (!given('retrans')) o.retrans = d.retrans;
}

/** libnfs/nfs(5) defaults (for TCP). uid/gid default to the process's own where it has them. */
export function defaultMountOptions(): MountOptions {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 65534;
  const gid = typeof process.getgid === 'function' ? process.getgid() : 65534;
  return {
    host: '127.0.0.1',
    export: '/',
    version: 3,
    nfsport: 0,
    mountport: 0,
    pmapport: 111,
    proto: 'tcp',
    mountproto: 'tcp',
    uid,
    gid,
    groups: [],
    timeo: 600,
    retrans: 2,
    soft: false,
    rsize: 1024 * 1024,
    wsize: 1024 * 1024,
    readdirsize: 64 * 1024,
    readahead: 4,
    acregmin: 3,
    acregmax: 60,
    acdirmin: 30,
    acdirmax: 60,
    noac: false,
    lookupcache: 'all',
    cto: true,
    rdirplus: true,
    readonly: false,
    resvport: true,
    trace: null,
    traceData: false,
  };
}

/** A malformed URL or option: code ERR_INVALID_ARG_VALUE, like Node's own argument errors. */
export class MountOptionError extends TypeError {
  readonly code = 'ERR_INVALID_ARG_VALUE';
  override name = 'MountOptionError';
}

const MAX_U32 = 0xffffffff;

function intOption(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new MountOptionError(`option ${name}=${value}: not a non-negative integer`);
  const n = Number(value);
  if (n < min || n > max) throw new MountOptionError(`option ${name}=${value}: must be between ${min} and ${max}`);
  return n;
}

function boolOption(name: string, value: string): boolean {
  if (value === '' || value === '1' || value === 'true' || value === 'yes') return true;
  if (value === '0' || value === 'false' || value === 'no') return false;
  throw new MountOptionError(`option ${name}=${value}: expected 1/0, true/false or no value`);
}

/* One setter per accepted argument; each validates its value. */
const setters: Record<string, (o: MountOptions, v: string, name: string) => void> = {
  version(o, v) {
    if (v === '4' || v === '4.0' || v === '4.1' || v === '4.2') {
      throw new MountOptionError(`version=${v}: NFSv4 is not implemented by sonfs; use version=3`);
    }
    if (v !== '3') throw new MountOptionError(`version=${v}: only version=3 is supported`);
    o.version = 3;
  },
  vers: (o, v) => setters.version!(o, v, 'vers'),
  nfsport: (o, v, n) => { o.nfsport = intOption(n, v, 0, 65535); },
  port: (o, v, n) => { o.nfsport = intOption(n, v, 0, 65535); },
  mountport: (o, v, n) => { o.mountport = intOption(n, v, 0, 65535); },
  pmapport: (o, v, n) => { o.pmapport = intOption(n, v, 1, 65535); },
  proto(o, v) {
    if (v !== 'tcp' && v !== 'udp') throw new MountOptionError(`proto=${v}: expected tcp or udp`);
    o.proto = v;
    o.mountproto = v;
  },
  mountproto(o, v) {
    if (v !== 'tcp' && v !== 'udp') throw new MountOptionError(`mountproto=${v}: expected tcp or udp`);
    o.mountproto = v;
  },
  tcp: (o, v, n) => { if (boolOption(n, v)) o.proto = o.mountproto = 'tcp'; },
  udp: (o, v, n) => { if (boolOption(n, v)) o.proto = o.mountproto = 'udp'; },
  uid: (o, v, n) => { o.uid = intOption(n, v, 0, MAX_U32); },
  gid: (o, v, n) => { o.gid = intOption(n, v, 0, MAX_U32); },
  groups(o, v) {
    o.groups = v === '' ? [] : v.split(',').map((g) => intOption('groups', g, 0, MAX_U32));
  },
  timeo: (o, v, n) => { o.timeo = intOption(n, v, 1, 36000); },
  retrans: (o, v, n) => { o.retrans = intOption(n, v, 0, 1000); },
  soft: (o, v, n) => { o.soft = boolOption(n, v); },
  hard: (o, v, n) => { o.soft = !boolOption(n, v); },
  rsize: (o, v, n) => { o.rsize = intOption(n, v, 0, 64 * 1024 * 1024); },
  wsize: (o, v, n) => { o.wsize = intOption(n, v, 0, 64 * 1024 * 1024); },
  readdirsize: (o, v, n) => { o.readdirsize = intOption(n, v, 1024, 16 * 1024 * 1024); },
  readahead: (o, v, n) => { o.readahead = intOption(n, v, 0, 64); },
  actimeo(o, v, n) {
    const t = intOption(n, v, 0, 86400);
    o.acregmin = o.acregmax = o.acdirmin = o.acdirmax = t;
  },
  acregmin: (o, v, n) => { o.acregmin = intOption(n, v, 0, 86400); },
  acregmax: (o, v, n) => { o.acregmax = intOption(n, v, 0, 86400); },
  acdirmin: (o, v, n) => { o.acdirmin = intOption(n, v, 0, 86400); },
  acdirmax: (o, v, n) => { o.acdirmax = intOption(n, v, 0, 86400); },
  noac: (o, v, n) => { o.noac = boolOption(n, v); },
  ac: (o, v, n) => { o.noac = !boolOption(n, v); },
  lookupcache(o, v) {
    if (v === 'all') o.lookupcache = 'all';
    else if (v === 'pos' || v === 'positive') o.lookupcache = 'pos';
    else if (v === 'none') o.lookupcache = 'none';
    else throw new MountOptionError(`lookupcache=${v}: expected all, pos or none`);
  },
  cto: (o, v, n) => { o.cto = boolOption(n, v); },
  nocto: (o, v, n) => { o.cto = !boolOption(n, v); },
  rdirplus: (o, v, n) => { o.rdirplus = boolOption(n, v); },
  nordirplus: (o, v, n) => { o.rdirplus = !boolOption(n, v); },
  readonly: (o, v, n) => { o.readonly = boolOption(n, v); },
  ro: (o, v, n) => { o.readonly = boolOption(n, v); },
  rw: (o, v, n) => { o.readonly = !boolOption(n, v); },
  resvport: (o, v, n) => { o.resvport = boolOption(n, v); },
  noresvport: (o, v, n) => { o.resvport = !boolOption(n, v); },
  trace(o, v) {
    if (v === '') throw new MountOptionError('trace= needs a file name');
    o.trace = v;
  },
  tracedata: (o, v, n) => { o.traceData = boolOption(n, v); },
};

/** The argument names parseNfsUrl and mountOptions accept. */
export const MOUNT_OPTION_NAMES: readonly string[] = Object.keys(setters);

/** Apply one named option (URL spelling) to `o`, validating it. */
export function setMountOption(o: MountOptions, name: string, value: string): void {
  const set = setters[name];
  if (set === undefined) {
    throw new MountOptionError(`unknown option '${name}' (accepted: ${MOUNT_OPTION_NAMES.join(', ')})`);
  }
  set(o, value, name);
}

function checkConsistent(o: MountOptions): MountOptions {
  if (o.acregmin > o.acregmax) o.acregmin = o.acregmax;
  if (o.acdirmin > o.acdirmax) o.acdirmin = o.acdirmax;
  if (o.groups.length > 16) {
    throw new MountOptionError(`groups: ${o.groups.length} given, AUTH_SYS carries at most 16`);
  }
  if (!o.export.startsWith('/')) throw new MountOptionError(`export '${o.export}' must be an absolute path`);
  if (o.export.includes('\0')) throw new MountOptionError('export path contains NUL');
  return o;
}

/** A parsed nfs:// URL: the server, the path after it, and the mount options. */
export interface NfsUrl {
  host: string;
  /** The URL's path, decoded ("/export/dir/file"). */
  path: string;
  options: MountOptions;
}

/**
 * Parse nfs://[user@]server[:port]/path[?arg=val&...]. The whole path becomes the export;
 * callers that name a file inside an export (the CLI) split it themselves. A port in the
 * authority sets nfsport, as libnfs does.
 */
export function parseNfsUrl(url: string, base: Partial<MountOptions> = {}): NfsUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MountOptionError(`not a URL: '${url}' (expected nfs://server/path)`);
  }
  if (u.protocol !== 'nfs:') throw new MountOptionError(`'${url}': the scheme must be nfs://`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  if (host === '') throw new MountOptionError(`'${url}': no server name`);
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    throw new MountOptionError(`'${url}': bad %-escape in the path`);
  }
  if (path === '') path = '/';
  const o: MountOptions = { ...defaultMountOptions(), ...base, host, export: path };
  if (u.port !== '') o.nfsport = intOption('port', u.port, 1, 65535);
  for (const [name, value] of u.searchParams) setMountOption(o, name, value);
  applyTransportDefaults(o, (k) => base[k] !== undefined || u.searchParams.has(k));
  return { host, path, options: checkConsistent(o) };
}

/** Complete options given in code: defaults, then `partial`, validated as the URL form is. */
export function mountOptions(partial: Partial<MountOptions>): MountOptions {
  const defaults = defaultMountOptions();
  for (const k of Object.keys(partial)) {
    if (!(k in defaults)) {
      throw new MountOptionError(`unknown option '${k}' (accepted: ${Object.keys(defaults).join(', ')}; URL spellings such as actimeo are for nfs:// URLs)`);
    }
  }
  const o: MountOptions = { ...defaults, ...partial };
  if (o.version !== 3) setMountOption(o, 'version', String(o.version));
  if (partial.proto !== undefined && partial.mountproto === undefined) o.mountproto = partial.proto;
  applyTransportDefaults(o, (k) => partial[k] !== undefined);
  for (const k of ['nfsport', 'mountport', 'uid', 'gid', 'timeo', 'retrans', 'rsize', 'wsize', 'readahead'] as const) {
    const v = o[k];
    if (!Number.isInteger(v) || v < 0) throw new MountOptionError(`option ${k}: ${String(v)} is not a non-negative integer`);
  }
  if (o.nfsport > 65535 || o.mountport > 65535) throw new MountOptionError('ports must be at most 65535');
  if (o.timeo < 1) throw new MountOptionError('option timeo: must be at least 1 decisecond');
  return checkConsistent(o);
}

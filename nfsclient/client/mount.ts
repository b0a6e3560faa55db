/*
 * mount(): from an nfs:// URL or options to a mounted NfsClient, as mount_nfs and the kernel's
 * mountnfs do it:
 *
 *   1. ports: nfsport/mountport as given, else the server's portmapper (getport: PMAP GETPORT,
 *      rpcbind GETADDR for IPv6);
 *   2. two RPC clients (MOUNT over mountproto, NFS over proto) sending AUTH_SYS with the mount's
 *      uid/gid/groups, from a reserved port when the credential is uid 0 and the process is
 *      root's (resvport);
 *   3. MNT of the export: the root file handle and the flavors the server accepts, which must
 *      include AUTH_SYS; a refused MNT names the export (and what the server does export);
 *   4. FSINFO: rsize/wsize = the requested sizes capped by rtmax/wtmax (rtpref/wtpref when 0),
 *      at most CLIENT_MAX_IO (32 KiB over UDP, whose datagrams must hold them); READDIR sizes
 *      capped by dtpref; maxfilesize; PATHCONF: name_max and friends.
 *
 * Socket buffers: the RPC client sizes them 2 × (largest message + 512), as nfs_connect does,
 * capped by its own limit, sbMax (its sockets' so_sbmax; by default the socket layer's sb_max,
 * kern.maxsockbuf, 256 KiB). So that 1 MiB READs and WRITEs can be queued whole rather than in
 * pieces (TCP), and a congestion window of 32 KiB replies is not dropped (UDP), the NFS client's
 * sbMax is what the mount needs (or sb_max, if that is larger) — what an administrator would
 * raise kern.maxsockbuf to, but for this mount's sockets alone: nothing process-wide changes.
 */
import { createAuthSys, DEFAULT_MAX_RECORD_SIZE, getport, RpcClient } from '../../rpc/index.js';
import type { RpcClientOptions } from '../../rpc/index.js';
import { EACCES, EINVAL, sbconfig } from '../../sockets/index.js';
import { NfsError } from '../errors.js';
import { MOUNT_PROGRAM, MOUNT_V3 } from '../mount3/constants.js';
import { MNT3_OK, mountstat3Errno } from '../mount3/mountstat3.js';
import { NFS_PROGRAM, NFS_V3 } from '../nfs3/constants.js';
import type { fattr3 } from '../nfs3/attr.js';
import { NFS3_OK } from '../nfs3/nfsstat3.js';
import { MountOptionError, mountOptions, parseNfsUrl } from '../options.js';
import type { MountOptions } from '../options.js';
import { Mount3 } from '../raw/mount3.js';
import { Nfs3 } from '../raw/nfs3.js';
import { NfsClient } from './client.js';
import type { FileState } from './file-state.js';
import { Session } from './session.js';
import type { MountLimits, OpCtx } from './session.js';

/** Largest READ/WRITE the client uses over TCP (whatever the server offers), and over UDP. */
export const CLIENT_MAX_IO = 4 * 1024 * 1024;
export const CLIENT_MAX_IO_UDP = 32 * 1024;
/** The largest directory reply asked for (a listing's "too small" retries and loop restart stop here). */
export const MAX_DIR_COUNT = 1024 * 1024;
/** AUTH_SYS's flavor number (RFC 5531). */
const AUTH_SYS = 1;
/** The RPC client's largest UDP congestion window, in calls (rpc/client/cwnd.ts MAX_CWND). */
const UDP_WINDOW = 32;
/** Room for RPC and NFS headers around data, as NFS_MAXPKTHDR. */
const HDR_ROOM = 512;

/* The size to use: the requested one (or the server's preference for 0), within the server's
 * maximum and the client's, rounded down to the server's multiple (at least 512 bytes unless
 * the server's maximum is smaller). */
function negotiate(requested: number, max: number, pref: number, mult: number, clientMax: number): number {
  let v = requested === 0 ? (pref > 0 ? pref : clientMax) : requested;
  if (max > 0 && v > max) v = max;
  if (v > clientMax) v = clientMax;
  const m = mult >= 512 && mult <= v ? mult : 512;
  if (v >= m) v -= v % m;
  return Math.max(1, v);
}

/** A mount's options from a URL or from code (defaults filled in, validated). */
export function resolveMountOptions(target: string | Partial<MountOptions>, overrides: Partial<MountOptions> = {}): MountOptions {
  if (typeof target === 'string') {
    mountOptions(overrides); /* the same checks as code-given options: unknown names are errors */
    return parseNfsUrl(target, overrides).options;
  }
  if (target === null || typeof target !== 'object') throw new MountOptionError('mount: expected an nfs:// URL or an options object');
  return mountOptions({ ...target, ...overrides });
}

/**
 * Mount an NFSv3 export.
 *
 *     const nfs = await mount('nfs://127.0.0.1/export?nfsport=2049&mountport=20048&version=3');
 *     const nfs = await mount({ host: '127.0.0.1', export: '/export', proto: 'udp' });
 *
 * `overrides` are applied under the URL's own parameters (a URL option wins).
 * The `trace` and `tracedata` options are not applied here: traceMount() of sonfs/trace wraps a
 * mount in a recording, and the sonfs command applies them from its URLs.
 * @throws MountOptionError for a bad URL or option, and for `trace`; NfsError: ECONNREFUSED / ETIMEDOUT (no
 *         server), EPROGUNAVAIL (no NFS or MOUNT registered), EACCES / ENOENT (the export is
 *         refused or missing), EACCES (AUTH_SYS not accepted).
 */
export async function mount(target: string | Partial<MountOptions>, overrides?: Partial<MountOptions>): Promise<NfsClient> {
  const opts = resolveMountOptions(target, overrides);
  if (opts.trace !== null) {
    throw new MountOptionError(`trace=${opts.trace}: tracing is applied around a mount, not by it: ` +
      "traceMount() from 'sonfs/trace', or the sonfs command, which applies trace= itself (docs/trace.md)");
  }
  const ctx: OpCtx = { syscall: 'mount', path: opts.export };
  const udp = opts.proto === 'udp';
  const clientMax = udp ? CLIENT_MAX_IO_UDP : CLIENT_MAX_IO;
  const wantR = negotiate(opts.rsize, 0, 0, 0, clientMax);
  const wantW = negotiate(opts.wsize, 0, 0, 0, clientMax);
  const wantDir = Math.min(opts.readdirsize, clientMax);
  const maxCall = Math.max(wantR, wantW, wantDir, 8192) + HDR_ROOM;
  /* maxMessageSize sizes the socket buffers (2 × it). Over UDP the receive buffer must hold the
   * replies of a whole congestion window (32 calls), or datagrams are dropped and retransmitted. */
  const maxMessage = udp ? UDP_WINDOW * maxCall : maxCall;

  let nfsport = opts.nfsport;
  let mountport = opts.mountport;
  try {
    if (mountport === 0) mountport = await getport(opts.host, MOUNT_PROGRAM, MOUNT_V3, opts.mountproto, { pmapPort: opts.pmapport });
    if (nfsport === 0) nfsport = await getport(opts.host, NFS_PROGRAM, NFS_V3, opts.proto, { pmapPort: opts.pmapport });
  } catch (e) {
    throw NfsError.from(e, { ...ctx, detail: `asking the portmapper of ${opts.host}:${opts.pmapport}: ${(e as Error).message}` });
  }

  const auth = createAuthSys({ uid: opts.uid, gid: opts.gid, groups: opts.groups });
  /* A reserved source port vouches for the credential (RFC 2623 §2.1: the server trusts a
   * privileged port to carry honest AUTH_SYS ids): only for uid 0, and only from a process that
   * may bind one (the RPC client checks its proc's credential). */
  const common: Omit<RpcClientOptions, 'port' | 'proto'> = {
    host: opts.host, timeo: opts.timeo, retrans: opts.retrans, hard: !opts.soft, resvport: opts.resvport && opts.uid === 0, auth,
  };
  const sbMax = Math.max(sbconfig.sb_max, 2 * (maxMessage + HDR_ROOM));
  /* timeo and retrans are NFS's; MOUNT on another transport keeps that transport's defaults. */
  const mountRpc = new RpcClient({
    ...common, port: mountport, proto: opts.mountproto,
    ...(opts.mountproto === opts.proto ? {} : { timeo: undefined, retrans: undefined }),
  });
  const nfsRpc = new RpcClient({
    ...common, port: nfsport, proto: opts.proto, maxMessageSize: maxMessage, sbMax,
    maxRecordSize: Math.max(DEFAULT_MAX_RECORD_SIZE, 2 * maxCall),
  });
  try {
    const mnt = new Mount3(mountRpc);
    const nfs = new Nfs3(nfsRpc);
    let mres;
    try {
      mres = await mnt.mnt(opts.export, { softConnect: true });
    } catch (e) {
      throw NfsError.from(e, ctx);
    }
    if (mres.fhs_status !== MNT3_OK) {
      const m = mountstat3Errno(mres.fhs_status);
      let offered = '';
      try {
        const list = await mnt.export({ soft: true, timeout: 5000 });
        offered = `; the server exports ${list.map((x) => x.ex_dir).join(', ') || 'nothing'}`;
      } catch {
        /* the explanation is optional */
      }
      throw new NfsError(m.errno, { ...ctx, detail: `the server refused to mount ${opts.export} (${m.name})${offered}` });
    }
    const root = mres.mountinfo.fhandle;
    const flavors = mres.mountinfo.auth_flavors;
    if (flavors.length > 0 && !flavors.includes(AUTH_SYS)) {
      throw new NfsError(EACCES, {
        ...ctx, detail: `the server does not accept AUTH_SYS for ${opts.export} (it offers flavors ${flavors.join(', ')}); sonfs speaks AUTH_SYS only`,
      });
    }
    const { limits, rootAttrs } = await negotiateLimits(nfs, root, opts, clientMax, ctx);
    const session = new Session<FileState>(opts, nfs, mnt, nfsRpc, mountRpc, root, limits);
    if (rootAttrs !== null) session.attrs.set(session.rootKey, rootAttrs);
    return new NfsClient(session);
  } catch (e) {
    await Promise.all([nfsRpc.close(), mountRpc.close()]);
    throw e;
  }
}

async function negotiateLimits(nfs: Nfs3, root: Buffer, opts: MountOptions, clientMax: number, ctx: OpCtx):
  Promise<{ limits: MountLimits; rootAttrs: fattr3 | null }> {
  let fsinfo;
  try {
    fsinfo = await nfs.fsinfo({ fsroot: root });
  } catch (e) {
    throw NfsError.from(e, ctx);
  }
  if (fsinfo.status !== NFS3_OK) throw NfsError.fromStatus(fsinfo.status, { ...ctx, detail: 'FSINFO of the export root failed' });
  const fi = fsinfo.resok;
  const rsize = negotiate(opts.rsize, fi.rtmax, fi.rtpref, fi.rtmult, clientMax);
  const wsize = negotiate(opts.wsize, fi.wtmax, fi.wtpref, fi.wtmult, clientMax);
  if (rsize < 1 || wsize < 1) throw new NfsError(EINVAL, { ...ctx, detail: 'the server offers no usable transfer size' });
  const maxcount = Math.max(1024, Math.min(opts.readdirsize, clientMax));
  const dircount = Math.max(1024, Math.min(maxcount, fi.dtpref > 0 ? fi.dtpref : maxcount));
  const limits: MountLimits = {
    rsize, wsize, dircount, maxcount, maxDirCount: Math.max(maxcount, Math.min(MAX_DIR_COUNT, clientMax)),
    maxfilesize: fi.maxfilesize, timeDelta: fi.time_delta, properties: fi.properties,
    nameMax: 255, linkMax: 0, caseInsensitive: false, casePreserving: true, chownRestricted: true, noTrunc: true,
  };
  try {
    const pc = await nfs.pathconf({ object: root });
    if (pc.status === NFS3_OK) {
      const p = pc.resok;
      if (p.name_max > 0) limits.nameMax = p.name_max;
      limits.linkMax = p.linkmax;
      limits.caseInsensitive = p.case_insensitive;
      limits.casePreserving = p.case_preserving;
      limits.chownRestricted = p.chown_restricted;
      limits.noTrunc = p.no_trunc;
    }
  } catch {
    /* PATHCONF is optional: the defaults stand */
  }
  return { limits, rootAttrs: fi.obj_attributes };
}

export interface ListExportsOptions {
  /** MOUNT port (0: ask the portmapper). */
  mountport?: number;
  mountproto?: 'tcp' | 'udp';
  pmapport?: number;
  /** Milliseconds before giving up (default 10 000). */
  timeout?: number;
}

/**
 * The server's export list (MOUNT EXPORT), as showmount -e prints it: each directory and the
 * hosts or groups it is exported to (empty: everyone).
 * @throws NfsError (ECONNREFUSED, ETIMEDOUT, EPROGUNAVAIL ...)
 */
export async function listExports(host: string, options: ListExportsOptions = {}): Promise<{ dir: string; groups: string[] }[]> {
  const proto = options.mountproto ?? 'tcp';
  const ctx: OpCtx = { syscall: 'showmount', path: host };
  let port = options.mountport ?? 0;
  let client: RpcClient | null = null;
  try {
    if (port === 0) port = await getport(host, MOUNT_PROGRAM, MOUNT_V3, proto, { pmapPort: options.pmapport ?? 111 });
    client = new RpcClient({ host, port, proto, hard: false, timeo: 10, retrans: 2, resvport: false });
    const list = await new Mount3(client).export({ softConnect: true, timeout: options.timeout ?? 10_000 });
    return list.map((e) => ({ dir: e.ex_dir, groups: e.ex_groups }));
  } catch (e) {
    throw NfsError.from(e, ctx);
  } finally {
    await client?.close();
  }
}

/** What mountUrl() returns: the mounted export and the URL's path inside it. */
export interface MountedUrl {
  client: NfsClient;
  /** The path below the export ("/" for the export itself). */
  path: string;
  /** The export that was mounted. */
  export: string;
}

/**
 * Mount the export an nfs:// URL points into and tell the path inside it, for URLs naming a
 * file or directory below an export (nfs://host/export/dir/file, as libnfs's tools take them).
 * The export is the longest exported directory (MOUNT EXPORT) that is a prefix of the URL's
 * path; if the server will not list its exports, each prefix is tried with MNT, longest first.
 * @throws as mount(); ENOENT/EACCES when no prefix of the path is exported.
 */
export async function mountUrl(url: string, overrides?: Partial<MountOptions>): Promise<MountedUrl> {
  const { options, path } = parseNfsUrl(url, overrides);
  const inside = (exp: string): boolean => path === exp || exp === '/' || path.startsWith(`${exp.replace(/\/+$/, '')}/`);
  const rest = (exp: string): string => (exp === '/' ? path : path.slice(exp.replace(/\/+$/, '').length)) || '/';
  let candidates: string[];
  try {
    const list = await listExports(options.host, {
      mountport: options.mountport, mountproto: options.mountproto, pmapport: options.pmapport,
    });
    candidates = list.map((e) => e.dir).filter(inside).sort((a, b) => b.length - a.length);
  } catch {
    candidates = [];
  }
  if (candidates.length === 0) {
    /* No list: every prefix of the path, longest first. */
    const parts = path.split('/').filter((c) => c !== '');
    for (let n = parts.length; n >= 0; n--) candidates.push(`/${parts.slice(0, n).join('/')}`);
  }
  let first: unknown = null;
  for (const exp of candidates) {
    try {
      const client = await mount({ ...options, export: exp });
      return { client, path: rest(exp), export: exp };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code !== 'EACCES' && code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EPERM') throw e;
      first ??= e;
    }
  }
  throw first ?? new NfsError(EACCES, { syscall: 'mount', path, detail: 'no prefix of the path is exported' });
}

/*
 * From an nfs:// URL naming something inside an export to a mounted client and the path inside
 * the export, with the mounts of one command (or one shell session) cached.
 *
 * URLs are libnfs's: nfs://server[:port]/export/path/in/export[?options] (parseNfsUrl). The export
 * is the longest exported directory (MOUNT EXPORT, asked once per server) that is a prefix of
 * the URL's path. A server that lists nothing (or will not answer EXPORT) gets MNT of each prefix
 * of the path, longest first — what libnfs's tools do.
 *
 * Mounts are cached per (server, export, options): `cp nfs://h/export/a nfs://h/export/b` mounts
 * once. closeAll() unmounts them all (UMNT, sockets closed); every command calls it when done.
 *
 * The global options --trace FILE and --replay FILE reach the mount here and only here
 * (mountOverrides), and so does a URL's trace=FILE: the one place where tracing wraps a mount.
 */
import { EACCES, ENOENT } from '../../sockets/index.js';
import { resolveEndpoint } from '../../rpc/internal.js';
import { listExports, mount, MountOptionError, NfsError, parseNfsUrl } from '../../nfsclient/index.js';
import type { MountOptions, NfsClient, NfsUrl } from '../../nfsclient/index.js';
import { UsageError } from '../io.js';

/** A URL resolved to its mount. */
export interface Located {
  client: NfsClient;
  /** The path inside the export ("/" for the export's root). */
  path: string;
  /** The exported directory that was mounted. */
  export: string;
  host: string;
  /** Identity of the mount: two Located with the same key share one client. */
  key: string;
  /** What messages show: the path on the server, "/export/dir/file". */
  display: string;
}

/**
 * The mount options the global options ask for. --trace FILE becomes the mount's `trace` option
 * (it joins the recording cli/lib/trace-run.ts started for the whole command); --replay needs
 * none: the replay is installed for the whole command (cli/lib/trace-run.ts).
 */
export function mountOverrides(globals: Readonly<Record<string, string>>): Partial<MountOptions> {
  return traceOption(globals);
}

function traceOption(globals: Readonly<Record<string, string>>): Partial<MountOptions> {
  return globals.trace === undefined ? {} : { trace: globals.trace };
}

/** Parse an nfs:// URL; a malformed one is a UsageError (exit status 2) saying what is wrong. */
export function parseRemote(url: string, base: Partial<MountOptions> = {}): NfsUrl {
  if (!/^nfs:\/\//i.test(url)) throw new UsageError(`'${url}' is not an nfs:// URL (expected nfs://server/export/path)`);
  try {
    return parseNfsUrl(url, base);
  } catch (e) {
    if (e instanceof MountOptionError) throw new UsageError(`bad URL: ${e.message}`);
    throw e;
  }
}

/** The server path of `inside` below export `exp` ("/export" + "/a" = "/export/a"). */
export function serverPath(exp: string, inside: string): string {
  const base = exp.replace(/\/+$/, '');
  if (inside === '/' || inside === '') return base === '' ? '/' : base;
  return `${base}${inside.startsWith('/') ? '' : '/'}${inside}`;
}

function isInside(path: string, exp: string): boolean {
  const base = exp.replace(/\/+$/, '');
  return base === '' || path === base || path.startsWith(`${base}/`);
}

function below(path: string, exp: string): string {
  const base = exp.replace(/\/+$/, '');
  return path.slice(base.length) || '/';
}

/* Options that decide whether two URLs can share a mount: all of them except the export. */
function optionsKey(o: MountOptions): string {
  const { export: _export, ...rest } = o;
  return JSON.stringify(rest);
}

/** What Mounts asks the network; replaceable for tests of the export search and the cache. */
export interface MountsDeps {
  listExports(host: string, o: { mountport: number; mountproto: 'tcp' | 'udp'; pmapport: number }): Promise<{ dir: string }[]>;
  mount(options: MountOptions): Promise<NfsClient>;
  /** Whether a host name resolves. */
  known(host: string): Promise<boolean>;
}

/*
 * trace=FILE (from a URL, or --trace through mountOverrides): the mount is recorded from outside,
 * by trace/ (loaded only then: protobufjs is not a cost of every command). The client itself
 * knows nothing of tracing.
 */
async function tracedMount(options: MountOptions & { trace: string }): Promise<NfsClient> {
  const { traceMount } = await import('../../trace/index.js');
  return traceMount(options.trace, options.traceData, () => mount({ ...options, trace: null }));
}

const networkDeps: MountsDeps = {
  listExports: (host, o) => listExports(host, o),
  mount: (options) => (options.trace === null ? mount(options) : tracedMount({ ...options, trace: options.trace })),
  known: async (host) => typeof (await resolveEndpoint(host, 0)) !== 'number',
};

export class Mounts {
  readonly #deps: MountsDeps;
  readonly #overrides: Partial<MountOptions>;
  readonly #globals: Readonly<Record<string, string>>;
  readonly #mounts = new Map<string, Promise<NfsClient>>();
  readonly #exports = new Map<string, Promise<string[] | null>>();
  readonly #hosts = new Map<string, Promise<boolean>>();
  #closed = false;

  /** `globals`: the CLI's global options (--trace, --replay), applied to every mount. */
  constructor(globals: Readonly<Record<string, string>> = {}, deps: MountsDeps = networkDeps) {
    this.#deps = deps;
    this.#globals = globals;
    this.#overrides = traceOption(globals);
  }

  /** Parse a URL with the global options under its own. */
  parse(url: string): NfsUrl {
    return parseRemote(url, this.#overrides);
  }

  /**
   * The mount holding what `url` names and the path inside it (nothing is looked up inside).
   * @throws UsageError for a malformed URL; NfsError when no export can be mounted (ENOENT
   *         naming the exports when the path is in none of them; the MNT error otherwise).
   */
  async locate(url: string): Promise<Located> {
    if (this.#closed) throw new Error('the mounts of this command were closed');
    mountOverrides(this.#globals);
    const u = this.parse(url);
    if (!(await this.#known(u.host))) throw new Error(`unknown host '${u.host}'`);
    const optKey = optionsKey(u.options);
    const list = await this.#exportList(u.options);
    let candidates: string[];
    if (list !== null && list.length > 0) {
      candidates = list.filter((e) => isInside(u.path, e)).sort((a, b) => b.length - a.length);
      if (candidates.length === 0) {
        throw new NfsError(ENOENT, {
          syscall: 'mount', path: u.path,
          detail: `no export of ${u.host} contains ${u.path}; the server exports ${list.join(', ')}`,
        });
      }
    } else {
      const parts = u.path.split('/').filter((c) => c !== '');
      candidates = [];
      for (let n = parts.length; n >= 0; n--) candidates.push(`/${parts.slice(0, n).join('/')}`);
    }
    let first: unknown = null;
    for (const exp of candidates) {
      const key = `${u.host}\0${exp}\0${optKey}`;
      try {
        const client = await this.#mount(key, u.options, exp);
        const path = below(u.path, exp);
        return { client, path, export: exp, host: u.host, key, display: serverPath(exp, path) };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code !== 'EACCES' && code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EPERM') throw e;
        first ??= e;
      }
    }
    throw first ?? new NfsError(EACCES, { syscall: 'mount', path: u.path, detail: 'no prefix of the path is exported' });
  }

  /** The clients mounted so far (for statistics). */
  async clients(): Promise<NfsClient[]> {
    const settled = await Promise.allSettled(this.#mounts.values());
    return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  /** Unmount everything; rejects with the first failure after trying them all. Idempotent. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    const clients = await this.clients();
    this.#mounts.clear();
    let error: unknown = null;
    await Promise.all(clients.map((c) => c.umount().catch((e: unknown) => { error ??= e; })));
    if (error !== null) throw error;
  }

  #mount(key: string, options: MountOptions, exp: string): Promise<NfsClient> {
    let p = this.#mounts.get(key);
    if (p === undefined) {
      p = this.#deps.mount({ ...options, export: exp });
      this.#mounts.set(key, p);
      p.catch(() => this.#mounts.delete(key));
    }
    return p;
  }

  /* Whether a host name resolves (asked once per name; addresses always do). */
  #known(host: string): Promise<boolean> {
    let p = this.#hosts.get(host);
    if (p === undefined) {
      p = this.#deps.known(host);
      this.#hosts.set(host, p);
    }
    return p;
  }

  /* The server's exports (cached per server and MOUNT transport); null when it will not say. */
  #exportList(o: MountOptions): Promise<string[] | null> {
    const key = `${o.host}\0${o.mountport}\0${o.mountproto}\0${o.pmapport}`;
    let p = this.#exports.get(key);
    if (p === undefined) {
      p = this.#deps.listExports(o.host, { mountport: o.mountport, mountproto: o.mountproto, pmapport: o.pmapport })
        .then((l) => l.map((e) => e.dir), () => null);
      this.#exports.set(key, p);
    }
    return p;
  }
}

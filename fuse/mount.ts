/*
 * mountFuse(): an NfsClient served as a local directory, and the life of that mount.
 *
 *   open /dev/fuse -> start the reader -> mount(8) with the descriptor as fd 3 -> INIT answered
 *   -> serve -> (unmount(), umount(8), fusermount3 -u, or the connection aborted) -> the reader
 *   gets ENODEV -> every handle still open is closed (committed) -> done.
 *
 * unmount() commits open files, unmounts (lazily if something still uses the directory) and
 * aborts the connection if users hold on, so it always ends. A process that exits (or crashes)
 * with the mount still there aborts the connection and detaches the mount on its way out
 * ('exit' handler): no dead mount ("Transport endpoint is not connected") is left behind. Only
 * SIGKILL gets past that; `sonfs umount DIR` then clears the dead mount.
 */
import { stat } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import type { NfsBigIntStats, NfsClient } from '../nfsclient/index.js';
import { identity, typeOf } from './attrs.js';
import { FuseDevice } from './device.js';
import { S_IFDIR } from './kernel.js';
import {
  FSTYPE, abortConnection, emergencyUnmount, mountAt, mountDevice, mountPathAsync, umount,
} from './mountpoint.js';
import { FuseServer } from './server.js';
import type { ServerStats } from './server.js';

export interface FuseMountOptions {
  /** The directory inside the client's export to serve as the mount's root (default '/'). */
  root?: string;
  /** What the mount table shows as the source (default 'sonfs'). */
  source?: string;
  /** Mount read-only (the client's readonly option does too). */
  readonly?: boolean;
  /** The largest WRITE the kernel sends (default 1 MiB). */
  maxWrite?: number;
  /** Where to report what an administrator should see (default: stderr). */
  log?: (message: string) => void;
  /** How long to wait for the kernel's INIT after mount(8) (ms, default 30 s). */
  initTimeoutMs?: number;
  /** Readahead of the mount in KiB (/sys/class/bdi/0:N/read_ahead_kb; default 1024, 0 leaves the kernel's). */
  readaheadKb?: number;
}

const DEFAULT_MAX_WRITE = 1024 * 1024;

/** A FUSE mount being served. */
export class FuseMount {
  /** The mount point (absolute). */
  readonly dir: string;
  /** The FUSE connection number (the minor of the mount's device; /sys/fs/fuse/connections/N). */
  readonly connection: number;
  readonly #server: FuseServer;
  readonly #done: Promise<void>;
  readonly #onExit: () => void;
  #unmounting: Promise<void> | null = null;
  #gone = false;

  /** @internal made by mountFuse() */
  constructor(dir: string, connection: number, server: FuseServer, device: FuseDevice, ended: Promise<string>) {
    this.dir = dir;
    this.connection = connection;
    this.#server = server;
    this.#onExit = () => {
      if (!this.#gone) emergencyUnmount(this.dir, this.connection);
    };
    process.on('exit', this.#onExit);
    this.#done = ended.then(async () => {
      this.#gone = true;
      await this.#server.closeAll();
      device.close();
      process.off('exit', this.#onExit);
    });
  }

  /** Resolves once the file system is gone (unmounted by anyone) and every open file was closed. */
  get done(): Promise<void> {
    return this.#done;
  }

  stats(): ServerStats {
    return this.#server.stats();
  }

  /**
   * Commit what was written, unmount (lazily when the directory is busy), and wait until the
   * connection is gone. Users still holding files after `graceMs` lose them: the connection is
   * aborted (their calls then fail with ENOTCONN). Idempotent.
   */
  unmount(graceMs = 2000): Promise<void> {
    this.#unmounting ??= this.#unmount(graceMs);
    return this.#unmounting;
  }

  async #unmount(graceMs: number): Promise<void> {
    if (!this.#gone) {
      try {
        await this.#server.commitAll();
      } catch (e) {
        this.#server.log(`committing before unmount: ${(e as Error).message}`);
      }
    }
    if (!this.#gone && this.#mounted()) {
      const r = await umount(this.dir, false);
      if (r.code !== 0 && this.#mounted()) await umount(this.dir, true);
    }
    const timer = setTimeout(() => {
      if (!this.#gone) abortConnection(this.connection);
    }, graceMs);
    try {
      await this.#done;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Give up at once: abort the connection (every request waiting on it fails), detach the mount.
   * Nothing is committed: for a process about to exit because the server does not answer.
   */
  abort(): void {
    emergencyUnmount(this.dir, this.connection);
    this.#gone = true;
  }

  #mounted(): boolean {
    const m = mountAt(this.dir);
    return m !== undefined && m.fstype === FSTYPE && m.minor === this.connection;
  }
}

/**
 * Serve `client` (from `options.root` down) at `dir`. Resolves once the kernel has initialized
 * the connection: the directory is usable. Root only (mount(2) of FUSE needs CAP_SYS_ADMIN).
 * @throws Error when the directory is not usable, mount(8) fails, or INIT does not come
 */
export async function mountFuse(client: NfsClient, dir: string, options: FuseMountOptions = {}): Promise<FuseMount> {
  const log = options.log ?? ((m: string) => process.stderr.write(`sonfs mount: ${m}\n`));
  const path = await mountPathAsync(dir);
  let dst;
  try {
    dst = await stat(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOTCONN') throw new Error(`${path}: a dead FUSE mount (its server is gone): run sonfs umount ${path}`);
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  if (!dst.isDirectory()) throw new Error(`${path}: not a directory`);
  const existing = mountAt(path);
  if (existing?.fstype === FSTYPE) throw new Error(`${path}: already a sonfs mount (sonfs umount ${path} first)`);

  const root = options.root ?? '/';
  const rst = await client.stat(root, { bigint: true }) as NfsBigIntStats;
  if (typeOf(rst) !== S_IFDIR) throw new Error(`${root}: not a directory on the server`);

  const maxWrite = options.maxWrite ?? DEFAULT_MAX_WRITE;
  const device = new FuseDevice({ maxWrite });
  const server = new FuseServer(client, device, { key: identity(rst), type: S_IFDIR, path: root }, {
    maxWrite, readonly: options.readonly ?? false, log,
  });
  let endReader!: (code: string) => void;
  const ended = new Promise<string>((resolve) => {
    endReader = resolve;
  });
  device.start({
    request: (req) => server.request(req),
    end: (code) => {
      if (code !== 'ENODEV' && code !== 'ECONNABORTED') log(`reading /dev/fuse: ${code}`);
      server.ended();
      endReader(code);
    },
    error: (e) => log(`/dev/fuse: ${e.message}`),
  });
  try {
    await mountDevice(device.fd, path, options.source ?? 'sonfs', options.readonly ?? client.options.readonly);
  } catch (e) {
    device.close();
    throw new Error(`mount ${path}: ${(e as Error).message}`);
  }
  const m = mountAt(path);
  if (m === undefined || m.fstype !== FSTYPE) {
    device.close();
    throw new Error(`mount ${path}: mount(8) succeeded but ${path} is not in /proc/self/mountinfo`);
  }
  const fm = new FuseMount(path, m.minor, server, device, ended);
  let timer: NodeJS.Timeout | undefined;
  const ok = await Promise.race([
    server.initialized,
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.initTimeoutMs ?? 30_000);
    }),
  ]);
  clearTimeout(timer);
  if (!ok) {
    abortConnection(m.minor);
    await umount(path, true);
    await fm.done;
    throw new Error(`mount ${path}: the kernel did not complete the FUSE handshake (INIT)`);
  }
  setReadahead(m.major, m.minor, options.readaheadKb ?? 1024);
  return fm;
}

/*
 * The kernel caps a FUSE mount's readahead at the bdi's (128 KiB by default) whatever INIT says;
 * root may raise it. Larger sequential READs keep the client's read-ahead pipeline full.
 */
function setReadahead(major: number, minor: number, kb: number): void {
  if (kb <= 0) return;
  try {
    writeFileSync(`/sys/class/bdi/${major}:${minor}/read_ahead_kb`, String(kb));
  } catch {
    /* not fatal: the kernel's default stays */
  }
}

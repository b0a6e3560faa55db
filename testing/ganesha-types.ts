/** Options and results of the ganesha fixture (startGanesha, StartedGanesha). */

/** How the server reaches the host's network. */
export type GaneshaNetwork =
  /** Docker's bridge, each port published on 127.0.0.1 (through docker-proxy). The default. */
  | 'bridge'
  /** The host's network namespace, every listener bound to 127.0.0.1: no docker-proxy, full speed. */
  | 'host';

export type GaneshaLogLevel =
  | 'NIV_FATAL' | 'NIV_MAJ' | 'NIV_CRIT' | 'NIV_WARN' | 'NIV_EVENT' | 'NIV_INFO' | 'NIV_DEBUG' | 'NIV_FULL_DEBUG';

export interface GaneshaOptions {
  /** 'bridge' (default) or 'host'. */
  network?: GaneshaNetwork;
  /**
   * Host ports. NFS and MOUNT: any free port is picked when unset; the server listens on the same
   * numbers inside the container, so the portmapper's answers are true on the host. rpcbind:
   * in bridge mode the host port that maps to the container's 111 (picked when unset; `false` to
   * not publish it); in host mode rpcbind can only listen on 111, so `111` turns its listener on,
   * and unset or `false` leaves it off (ganesha still registers through rpcbind's unix socket).
   */
  ports?: { nfs?: number; mount?: number; rpcbind?: number | false };
  /**
   * Where /export lives. Unset: a tmpfs, emptied by every start and by restart(). `true`: a new
   * named volume, kept across restart() and removed by stop(). A string: that named volume
   * (created by Docker if missing), kept across restart() and stop().
   */
  volume?: boolean | string;
  /** Size limit of the /export tmpfs, e.g. '2g' (default: Docker's, half the host's memory). */
  tmpfsSize?: string;
  /** Extra lines inside NFS_CORE_PARAM, e.g. 'Drop_IO_Errors = true;'. */
  coreParams?: string;
  /** Extra lines inside the /export EXPORT block, e.g. 'MaxRead = 65536;'. */
  exportParams?: string;
  /** Extra blocks appended to the rendered configuration. */
  extraConfig?: string;
  /** A complete ganesha configuration, used instead of the rendered one. */
  config?: string;
  /**
   * ganesha's MDCACHE `Dir_Chunk`: 0 (the default) turns its chunked directory cache off. On a
   * tmpfs export, ganesha 4.3 with the cache on (its own default, 128) answers listings in a
   * circle after removals; set it only to test how a client survives that (docs/servers.md).
   */
  dirChunk?: number;
  /** ganesha's log level (default NIV_EVENT). */
  logLevel?: GaneshaLogLevel;
  /** More environment for the entrypoint (see servers/ganesha/entrypoint.sh); wins over the above. */
  env?: Record<string, string>;
  /** Use DAC_READ_SEARCH + seccomp=unconfined instead of DAC_READ_SEARCH + SYS_ADMIN. */
  seccompUnconfined?: boolean;
  /** Container name (default: Docker's). */
  name?: string;
  /** Extra container labels. */
  labels?: Record<string, string>;
  /**
   * Remove the container when the process that started it is gone and reapOrphans() runs
   * (default true). The shared suite server, which outlives the process that started it, sets false.
   */
  reapWithOwner?: boolean;
  /** Bound on start-to-ready, and on restart(), in ms (default 60 000). */
  startupTimeoutMs?: number;
}

/** Host ports of a running server; each number is valid for TCP and for UDP. */
export interface GaneshaPorts {
  nfs: number;
  mount: number;
  /** The port that reaches rpcbind, or null if it is not reachable from the host. */
  rpcbind: number | null;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved. */
  output: string;
  stdout: string;
  stderr: string;
}

/** Container labels: how the fixture recognises its containers, and what attachGanesha() reads. */
export const LABELS = {
  server: 'sonfs.server',
  ports: 'sonfs.ports',
  network: 'sonfs.network',
  volume: 'sonfs.volume',
  owner: 'sonfs.owner',
  timeout: 'sonfs.startup-timeout-ms',
} as const;

/** Where every server of the fixture listens, as seen from the host. */
export const SERVER_HOST = '127.0.0.1';
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

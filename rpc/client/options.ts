/*
 * RpcClient options: the nfs(5) / libnfs vocabulary where one exists (timeo in deciseconds,
 * retrans, hard/soft, resvport), and this client's own bounds.
 */
import type { Proc } from '../../sockets/index.js';
import { curproc, sbconfig } from '../../sockets/index.js';
import type { RpcAuth } from '../auth/opaque-auth.js';
import { DEFAULT_MAX_RECORD_SIZE, RM_MAXFRAG } from '../record/reader.js';
import type { RpcTimerClass } from './rtt.js';

export type RpcProto = 'tcp' | 'udp';

export interface RpcClientOptions {
  /** Server address: an IPv4 or IPv6 literal, or a name (resolved at each connect). */
  host: string;
  /** Server port (no portmapper lookup here: see getport()). */
  port: number;
  /** Transport. Default 'tcp'. */
  proto?: RpcProto;
  /**
   * Time before the first retransmission, in tenths of a second (nfs(5) `timeo`). Default 600
   * (60 s) over TCP, 11 (1.1 s) over UDP, as nfs(5). With the RTT estimator on (UDP default)
   * it is the starting point and the timeout of class-0 procedures.
   */
  timeo?: number;
  /** Retransmissions before a soft call fails, or a hard one reports "not responding". Default 2 (TCP) / 3 (UDP), as nfs(5). */
  retrans?: number;
  /** Hard calls retry forever (default true, as nfs(5)); soft calls fail with RpcTimeoutError (ETIMEDOUT). */
  hard?: boolean;
  /**
   * Bind a reserved source port (IP_PORTRANGE_LOW, 600..1023) when `proc`'s credential is root's.
   * Default true. Falls back to an ephemeral port when none can be had (counted in stats).
   */
  resvport?: boolean;
  /**
   * The process the client runs as: sockets are created as it (so_cred), the reserved port is
   * bound with its credential, and `auth: 'sys'` is its AUTH_SYS credential. Default: curproc()
   * when the client is created.
   */
  proc?: Proc;
  /** The default credential of calls: an RpcAuth, 'none' (AUTH_NONE, the default) or 'sys' (proc's AUTH_SYS). */
  auth?: RpcAuth | 'none' | 'sys';
  /** Calls in flight at most; more wait in order. Default 128. */
  maxInFlight?: number;
  /** Calls waiting beyond maxInFlight at most; more fail with RpcQueueFullError (ENOBUFS). Default 65536. */
  maxQueued?: number;
  /** Largest reply record accepted (TCP, after reassembly; UDP datagrams are at most 65507). Default 4 MiB. */
  maxRecordSize?: number;
  /** Largest fragment of a sent record (TCP); larger calls go out as several fragments. Default 2^31-1. */
  maxFragmentSize?: number;
  /** Largest call or reply expected, for sizing the socket buffers (2 × (size + header), as nfs_connect). Default 64 KiB. */
  maxMessageSize?: number;
  /**
   * The largest socket buffer this client's sockets may reserve: their so_sbmax, the kernel's
   * sb_max (kern.maxsockbuf) for this client alone. The buffers are 2 × (maxMessageSize + 512)
   * capped by it. Default: the socket layer's sbconfig.sb_max (256 KiB) when the client is made.
   * Nothing process-wide changes: a client that needs larger buffers (an NFS mount with 1 MiB
   * transfers) says so here.
   */
  sbMax?: number;
  /** Bound on one connection attempt, in milliseconds. Default 30 000. */
  connectTimeout?: number;
  /** Cap on a call's backed-off timeout, in milliseconds (NFS_MAXTIMEO). Default 60 000. */
  maxTimeout?: number;
  /** Cap on the delay between reconnection attempts, in milliseconds. Default 5 000. */
  maxReconnectDelay?: number;
  /** Use the RTT estimator for classed calls (CallOptions.timer). Default: true on UDP, false on TCP. */
  rtt?: boolean;
}

export interface CallOptions {
  /** This call's credential (default: the client's). */
  auth?: RpcAuth;
  /** Call with this process's AUTH_SYS credential (encoded once per credential). Ignored if `auth` is given. */
  cred?: Proc;
  /** Interrupt the call: it fails with RpcInterruptedError (EINTR) and a late reply is dropped. */
  signal?: AbortSignal;
  /** Fail the call with RpcTimeoutError if it has no reply after this many milliseconds, hard or soft. */
  timeout?: number;
  /** Override the client's hard/soft for this call. */
  soft?: boolean;
  /** Override the client's timeo (deciseconds) and retrans for this call. */
  timeo?: number;
  retrans?: number;
  /** The call's procedure class for the RTT estimator (RPC_TIMER_*; NFS3_TIMER_CLASSES for NFSv3). Default 0. */
  timer?: RpcTimerClass;
  /**
   * Fail instead of retrying when the server cannot be reached: the connection is refused or
   * times out (TCP), or ICMP says port unreachable (UDP). As Linux's RPC_TASK_SOFTCONN; for
   * portmapper queries and pings.
   */
  softConnect?: boolean;
  /**
   * Counts this call's transmissions after the first: `resends` grows each time the call goes out
   * again (a timer retransmission, or a resend on a new connection after a reconnect). A caller
   * that must tell "my first attempt may already have been executed" — NFS REMOVE, RENAME, LINK,
   * CREATE answered NOENT/EXIST after a resend — reads it when the call ends (RFC 1813 §4.5).
   */
  tracker?: RpcCallTracker;
}

/** See CallOptions.tracker. */
export interface RpcCallTracker {
  resends: number;
}

export interface ResolvedClientOptions {
  readonly host: string;
  readonly port: number;
  readonly proto: RpcProto;
  readonly timeoMs: number;
  readonly retrans: number;
  readonly hard: boolean;
  readonly resvport: boolean;
  readonly proc: Proc;
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly maxRecordSize: number;
  readonly maxFragmentSize: number;
  readonly maxMessageSize: number;
  readonly sbMax: number;
  readonly connectTimeout: number;
  readonly maxTimeout: number;
  readonly maxReconnectDelay: number;
  readonly rtt: boolean;
}

function int(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`RpcClient: ${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  }
  return v;
}

/** Validate and complete the options. @throws RangeError / TypeError for bad values. */
export function resolveClientOptions(o: RpcClientOptions): ResolvedClientOptions {
  if (o === null || typeof o !== 'object') throw new TypeError('RpcClient: options object required');
  if (typeof o.host !== 'string' || o.host.length === 0) throw new TypeError('RpcClient: host must be a non-empty string');
  const port = int('port', o.port, -1, 1, 65535);
  if (port < 0) throw new RangeError('RpcClient: port is required');
  const proto = o.proto ?? 'tcp';
  if (proto !== 'tcp' && proto !== 'udp') throw new RangeError(`RpcClient: proto must be 'tcp' or 'udp', got ${String(proto)}`);
  const tcp = proto === 'tcp';
  return {
    host: o.host,
    port,
    proto,
    timeoMs: 100 * int('timeo', o.timeo, tcp ? 600 : 11, 1, 36000),
    retrans: int('retrans', o.retrans, tcp ? 2 : 3, 0, 10000),
    hard: o.hard ?? true,
    resvport: o.resvport ?? true,
    proc: o.proc ?? curproc(),
    maxInFlight: int('maxInFlight', o.maxInFlight, 128, 1, 65536),
    maxQueued: int('maxQueued', o.maxQueued, 65536, 0, 1 << 24),
    maxRecordSize: int('maxRecordSize', o.maxRecordSize, DEFAULT_MAX_RECORD_SIZE, 64, RM_MAXFRAG),
    maxFragmentSize: int('maxFragmentSize', o.maxFragmentSize, RM_MAXFRAG, 4, RM_MAXFRAG),
    maxMessageSize: int('maxMessageSize', o.maxMessageSize, 65536, 512, RM_MAXFRAG),
    sbMax: int('sbMax', o.sbMax, sbconfig.sb_max, 1, 2 * RM_MAXFRAG),
    connectTimeout: int('connectTimeout', o.connectTimeout, 30_000, 1, 3_600_000),
    maxTimeout: int('maxTimeout', o.maxTimeout, 60_000, 1, 3_600_000),
    maxReconnectDelay: int('maxReconnectDelay', o.maxReconnectDelay, 5_000, 1, 3_600_000),
    rtt: o.rtt ?? !tcp,
  };
}

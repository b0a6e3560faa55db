/*
 * Portmapper version 2 and rpcbind versions 3 and 4 clients (RFC 1833), over an RpcClient of
 * either transport, and getport(): the port of a program, as the NFS client asks it when no
 * explicit port is given.
 */
import { AF_INET6, EPROGUNAVAIL } from '../../sockets/index.js';
import { RpcClient } from '../client/client.js';
import type { CallOptions, RpcClientOptions, RpcProto } from '../client/options.js';
import { RpcError, RpcProgMismatchError, RpcProgUnavailError, RpcProcUnavailError } from '../errors.js';
import { resolveEndpoint } from '../client/connect.js';
import {
  IPPROTO_TCP, IPPROTO_UDP, PMAP_PORT, PMAP_PROG, PMAP_VERS, RPCBPROG, RPCBVERS, RPCBVERS4,
} from './constants.js';
import { PMAP2_PROCEDURES } from './pmap2.js';
import type { mapping } from './pmap2.js';
import { RPCB3_PROCEDURES, RPCB4_PROCEDURES } from './rpcb.js';
import type { rpcb } from './rpcb.js';
import { parseUaddr } from './uaddr.js';

/** The portmapper answered port 0 / an empty address: the program (version, transport) is not registered. */
export class RpcProgNotRegisteredError extends RpcError {
  override name = 'RpcProgNotRegisteredError';
  constructor(readonly prog: number, readonly vers: number, readonly proto: string) {
    super(`RPC: Program not registered (program ${prog} version ${vers} ${proto})`, {
      code: 'ERR_RPC_PROG_NOT_REGISTERED', errno: EPROGUNAVAIL, call: { prog: PMAP_PROG },
    });
  }
}

/** Portmapper version 2 (RFC 1833 §3). */
export class PortmapClient {
  constructor(readonly rpc: RpcClient) {}

  /** PMAPPROC_NULL. */
  null(options?: CallOptions): Promise<void> {
    return this.rpc.ping(PMAP_PROG, PMAP_VERS, options);
  }

  /** PMAPPROC_GETPORT: the port of (prog, vers, prot), 0 if not registered. `prot` is IPPROTO_TCP or IPPROTO_UDP. */
  getport(prog: number, vers: number, prot: number, options?: CallOptions): Promise<number> {
    return this.rpc.callProcedure(PMAP_PROG, PMAP_VERS, PMAP2_PROCEDURES.GETPORT, { prog, vers, prot, port: 0 }, options);
  }

  /** PMAPPROC_SET: register a mapping (the portmapper accepts it from a privileged local caller). */
  set(m: mapping, options?: CallOptions): Promise<boolean> {
    return this.rpc.callProcedure(PMAP_PROG, PMAP_VERS, PMAP2_PROCEDURES.SET, m, options);
  }

  /** PMAPPROC_UNSET: remove the mappings of (prog, vers) (prot and port are ignored). */
  unset(m: mapping, options?: CallOptions): Promise<boolean> {
    return this.rpc.callProcedure(PMAP_PROG, PMAP_VERS, PMAP2_PROCEDURES.UNSET, m, options);
  }

  /** PMAPPROC_DUMP: every mapping, in the server's order. */
  dump(options?: CallOptions): Promise<mapping[]> {
    return this.rpc.callProcedure(PMAP_PROG, PMAP_VERS, PMAP2_PROCEDURES.DUMP, undefined, options);
  }
}

/** rpcbind versions 3 and 4 (RFC 1833 §2). */
export class RpcbindClient {
  constructor(readonly rpc: RpcClient, readonly vers: 3 | 4 = 4) {}

  #procs(): typeof RPCB3_PROCEDURES | typeof RPCB4_PROCEDURES {
    return this.vers === 4 ? RPCB4_PROCEDURES : RPCB3_PROCEDURES;
  }

  /** RPCBPROC_NULL. */
  null(options?: CallOptions): Promise<void> {
    return this.rpc.ping(RPCBPROG, this.vers, options);
  }

  /** RPCBPROC_GETADDR: the universal address of (r_prog, r_vers, r_netid); "" if not registered. */
  getaddr(r: rpcb, options?: CallOptions): Promise<string> {
    return this.rpc.callProcedure(RPCBPROG, this.vers, this.#procs().GETADDR, r, options);
  }

  /** RPCBPROC_SET. */
  set(r: rpcb, options?: CallOptions): Promise<boolean> {
    return this.rpc.callProcedure(RPCBPROG, this.vers, this.#procs().SET, r, options);
  }

  /** RPCBPROC_UNSET. */
  unset(r: rpcb, options?: CallOptions): Promise<boolean> {
    return this.rpc.callProcedure(RPCBPROG, this.vers, this.#procs().UNSET, r, options);
  }

  /** RPCBPROC_DUMP: every registration. */
  dump(options?: CallOptions): Promise<rpcb[]> {
    return this.rpc.callProcedure(RPCBPROG, this.vers, this.#procs().DUMP, undefined, options);
  }

  /** RPCBPROC_GETTIME: the server's time, seconds since 1970. */
  gettime(options?: CallOptions): Promise<number> {
    return this.rpc.callProcedure(RPCBPROG, this.vers, this.#procs().GETTIME, undefined, options);
  }

  /** RPCBPROC_GETVERSADDR (version 4 only): the address of exactly r_vers. */
  getversaddr(r: rpcb, options?: CallOptions): Promise<string> {
    if (this.vers !== 4) return Promise.reject(new RangeError('GETVERSADDR needs rpcbind version 4'));
    return this.rpc.callProcedure(RPCBPROG, 4, RPCB4_PROCEDURES.GETVERSADDR, r, options);
  }
}

export interface GetportOptions {
  /** The portmapper's port. Default 111. */
  pmapPort?: number;
  /** Transport to ask the portmapper over. Default: the transport asked about. */
  via?: RpcProto;
  /** Options of the temporary client (timeo, retrans, proc, resvport ...). Default: soft, timeo 10 (1 s), retrans 2. */
  client?: Partial<Omit<RpcClientOptions, 'host' | 'port' | 'proto'>>;
  signal?: AbortSignal;
}

/**
 * The port of program `prog` version `vers` over `proto` on `host`, from its portmapper: PMAP
 * version 2 GETPORT for IPv4 (every portmapper answers it), rpcbind version 4 GETADDR (then 3)
 * with netid tcp6/udp6 for IPv6. The query is a soft call that fails fast when nothing listens.
 * @throws RpcProgNotRegisteredError when not registered; RpcCantConnectError, RpcTimeoutError ...
 */
export async function getport(host: string, prog: number, vers: number, proto: RpcProto, options: GetportOptions = {}): Promise<number> {
  const ep = await resolveEndpoint(host, options.pmapPort ?? PMAP_PORT);
  const v6 = typeof ep !== 'number' && ep.family === AF_INET6;
  const rpc = new RpcClient({
    hard: false, timeo: 10, retrans: 2, ...options.client,
    host, port: options.pmapPort ?? PMAP_PORT, proto: options.via ?? proto,
  });
  const call: CallOptions = { softConnect: true, ...(options.signal === undefined ? {} : { signal: options.signal }) };
  try {
    if (!v6) {
      const port = await new PortmapClient(rpc).getport(prog, vers, proto === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP, call);
      if (port === 0) throw new RpcProgNotRegisteredError(prog, vers, proto);
      return port;
    }
    const r: rpcb = { r_prog: prog, r_vers: vers, r_netid: proto === 'tcp' ? 'tcp6' : 'udp6', r_addr: '', r_owner: '' };
    let uaddr: string;
    try {
      uaddr = await new RpcbindClient(rpc, RPCBVERS4).getaddr(r, call);
    } catch (e) {
      if (!(e instanceof RpcProgMismatchError || e instanceof RpcProgUnavailError || e instanceof RpcProcUnavailError)) throw e;
      uaddr = await new RpcbindClient(rpc, RPCBVERS).getaddr(r, call);
    }
    if (uaddr === '') throw new RpcProgNotRegisteredError(prog, vers, r.r_netid);
    return parseUaddr(uaddr).port;
  } finally {
    await rpc.close();
  }
}

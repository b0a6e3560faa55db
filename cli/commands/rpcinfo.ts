/*
 * sonfs rpcinfo: the parts of rpcinfo(8) that talk to a portmapper and ping programs, with the
 * same output as Debian's rpcinfo:
 *
 *   sonfs rpcinfo -p [HOST]                     the portmapper's table (PMAPPROC_DUMP)
 *   sonfs rpcinfo [-n PORT] -t HOST PROG [VERS]  NULL call over TCP ("program P version V ready and waiting")
 *   sonfs rpcinfo [-n PORT] -u HOST PROG [VERS]  ... over UDP
 *
 * PROG is a number or a name from /etc/rpc (or the built-in table). Without VERS every version
 * the server supports is pinged (the range comes from a PROG_MISMATCH answer to version 0).
 * Exit status 0 when everything answered, 1 otherwise, 2 on a usage error.
 */
import { strerror } from '../../sockets/index.js';
import {
  authStatName, getport, getrpcbyname, getrpcbynumber, IPPROTO_TCP, IPPROTO_UDP, loadRpcDatabase, PMAP_PORT,
  PortmapClient, RpcAuthError, RpcCantConnectError, RpcClient, RpcError, RpcGarbageArgsError, RpcMismatchError,
  RpcProcUnavailError, RpcProgMismatchError, RpcProgNotRegisteredError, RpcProgUnavailError, RpcSystemError,
  RpcTimeoutError, XdrDecodeError,
} from '../../rpc/index.js';
import { resolveEndpoint } from '../../rpc/internal.js';
import type { RpcEnt, RpcProto } from '../../rpc/index.js';
import { UsageError } from '../io.js';
import type { CliIo, Command } from '../io.js';

const USAGE = 'sonfs rpcinfo -p [host] | sonfs rpcinfo [-n portnum] -u | -t host prognum [versnum]';

/** clnt_sperrno(3)'s text for an error of the RPC layer. */
export function rpcErrorText(e: unknown): string {
  if (e instanceof RpcProgMismatchError) return `RPC: Program/version mismatch; low version = ${e.low}, high version = ${e.high}`;
  if (e instanceof RpcProgUnavailError) return 'RPC: Program unavailable';
  if (e instanceof RpcProcUnavailError) return 'RPC: Procedure unavailable';
  if (e instanceof RpcGarbageArgsError) return "RPC: Server can't decode arguments";
  if (e instanceof RpcSystemError) return 'RPC: Remote system error';
  if (e instanceof RpcMismatchError) return `RPC: Incompatible versions of RPC; low version = ${e.low}, high version = ${e.high}`;
  if (e instanceof RpcAuthError) return `RPC: Authentication error; why = ${authStatName(e.auth_stat)}`;
  if (e instanceof RpcTimeoutError) return 'RPC: Timed out';
  if (e instanceof RpcCantConnectError) return `RPC: Remote system error - ${strerror(e.errno)}`;
  if (e instanceof RpcProgNotRegisteredError) return 'RPC: Program not registered';
  if (e instanceof XdrDecodeError) return "RPC: Can't decode result";
  if (RpcError.isRpcError(e)) return `RPC: ${e.message}`;
  return `RPC: ${(e as Error)?.message ?? String(e)}`;
}

/* Soft calls that give up in seconds, not minutes; no reserved port needed to ask. */
function clientOptions(proto: RpcProto): { hard: false; timeo: number; retrans: number } {
  return proto === 'udp' ? { hard: false, timeo: 10, retrans: 3 } : { hard: false, timeo: 100, retrans: 1 };
}

/** One `rpcinfo -p` row: "%10u%5u%6s%7u" and "  name" when the program has one. */
export function formatPmapRow(prog: number, vers: number, prot: number, port: number, db: readonly RpcEnt[]): string {
  const proto = prot === IPPROTO_TCP ? 'tcp' : prot === IPPROTO_UDP ? 'udp' : String(prot);
  const name = getrpcbynumber(prog, db)?.name;
  return `${String(prog).padStart(10)}${String(vers).padStart(5)}${proto.padStart(6)}${String(port).padStart(7)}${name === undefined ? '' : `  ${name}`}`;
}

export const PMAP_HEADER = '   program vers proto   port  service';

async function unknownHost(host: string): Promise<boolean> {
  return typeof (await resolveEndpoint(host, PMAP_PORT)) === 'number';
}

async function dump(host: string, io: CliIo): Promise<number> {
  if (await unknownHost(host)) {
    io.stderr.write(`${host}: RPC: Unknown host\n`);
    return 1;
  }
  let rows;
  let lastError: unknown;
  for (const proto of ['tcp', 'udp'] as const) {
    const rpc = new RpcClient({ host, port: PMAP_PORT, proto, ...clientOptions(proto) });
    try {
      rows = await new PortmapClient(rpc).dump({ softConnect: true });
      break;
    } catch (e) {
      lastError = e;
      if (!(e instanceof RpcCantConnectError)) break;
    } finally {
      await rpc.close();
    }
  }
  if (rows === undefined) {
    io.stderr.write(`rpcinfo: can't contact portmapper: ${rpcErrorText(lastError)}\n`);
    return 1;
  }
  const db = loadRpcDatabase();
  const out = [PMAP_HEADER, ...rows.map((m) => formatPmapRow(m.prog, m.vers, m.prot, m.port, db))];
  io.stdout.write(out.join('\n') + '\n');
  return 0;
}

function parseProg(s: string): number | undefined {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 0xffffffff ? n : undefined;
  }
  return getrpcbyname(s)?.number;
}

async function ping(host: string, progArg: string, versArg: string | undefined, proto: RpcProto, port: number | undefined, io: CliIo): Promise<number> {
  const prog = parseProg(progArg);
  if (prog === undefined) {
    io.stderr.write(`rpcinfo: ${progArg} is unknown service\n`);
    return 1;
  }
  let vers: number | undefined;
  if (versArg !== undefined) {
    if (!/^\d+$/.test(versArg) || Number(versArg) > 0xffffffff) {
      io.stderr.write(`rpcinfo: ${versArg} is illegal version number\n`);
      return 1;
    }
    vers = Number(versArg);
  }
  if (await unknownHost(host)) {
    io.stderr.write(`${host}: RPC: Unknown host\n`);
    return 1;
  }
  /* clnt_create's part: the port from the portmapper, then the connection. Errors: "host: ...". */
  if (port === undefined) {
    try {
      port = await getport(host, prog, vers ?? 0, proto, { client: clientOptions(proto) });
    } catch (e) {
      const text = e instanceof RpcProgNotRegisteredError ? rpcErrorText(e) : `RPC: Port mapper failure - ${rpcErrorText(e)}`;
      io.stderr.write(`${host}: ${text}\n`);
      return 1;
    }
  }
  const rpc = new RpcClient({ host, port, proto, ...clientOptions(proto) });
  try {
    try {
      await rpc.connect();
    } catch (e) {
      io.stderr.write(`${host}: ${rpcErrorText(e)}\n`);
      return 1;
    }
    const one = async (v: number): Promise<boolean> => {
      try {
        await rpc.ping(prog, v, { softConnect: true });
        io.stdout.write(`program ${prog} version ${v} ready and waiting\n`);
        return true;
      } catch (e) {
        io.stderr.write(`rpcinfo: ${rpcErrorText(e)}\n`);
        io.stdout.write(`program ${prog} version ${v} is not available\n`);
        return false;
      }
    };
    if (vers !== undefined) return (await one(vers)) ? 0 : 1;
    /* No version: learn the range from the PROG_MISMATCH answer to version 0, then ping each. */
    let low: number;
    let high: number;
    try {
      await rpc.ping(prog, 0, { softConnect: true });
      low = high = 0;
    } catch (e) {
      if (!(e instanceof RpcProgMismatchError)) {
        io.stderr.write(`rpcinfo: ${rpcErrorText(e)}\n`);
        io.stdout.write(`program ${prog} is not available\n`);
        return 1;
      }
      low = e.low;
      high = e.high;
    }
    let ok = true;
    for (let v = low; v <= high && v - low < 256; v++) ok = (await one(v)) && ok;
    return ok ? 0 : 1;
  } finally {
    await rpc.close();
  }
}

export const rpcinfo: Command = {
  summary: "report RPC information (rpcinfo -p HOST, -t/-u HOST PROG [VERS]), as Debian's rpcinfo",
  usage: USAGE,
  async run(args, io) {
    let mode: 'p' | 't' | 'u' | undefined;
    let port: number | undefined;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--help' || a === '-h') {
        io.stdout.write(`usage: ${USAGE}\n`);
        return 0;
      }
      if (a === '-p' || a === '-t' || a === '-u') {
        if (mode !== undefined && mode !== a[1]) throw new UsageError('give only one of -p, -t, -u');
        mode = a[1] as 'p' | 't' | 'u';
      } else if (a === '-n') {
        const v = args[++i];
        if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UsageError(`-n needs a port number, got ${v ?? 'nothing'}`);
        port = Number(v);
      } else if (a.startsWith('-') && a.length > 1) {
        throw new UsageError(`unknown option ${a}`);
      } else {
        rest.push(a);
      }
    }
    if (mode === 'p') {
      if (rest.length > 1 || port !== undefined) throw new UsageError('-p takes at most a host');
      return dump(rest[0] ?? '127.0.0.1', io);
    }
    if (mode === undefined) throw new UsageError('give -p, -t or -u');
    if (rest.length < 2 || rest.length > 3) throw new UsageError(`-${mode} needs host prognum [versnum]`);
    return ping(rest[0]!, rest[1]!, rest[2], mode === 't' ? 'tcp' : 'udp', port, io);
  },
};

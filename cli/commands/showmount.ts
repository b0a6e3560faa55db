/*
 * sonfs showmount [-e | -a | -d] [--no-headers] [HOST]: a server's MOUNT information, printed as
 * Debian's showmount(8) (nfs-utils) prints it:
 *
 *   -e   EXPORT: "Export list for HOST:", then each directory padded to the longest and the
 *        clients it is exported to, comma-separated, or "(everyone)";
 *   -a   DUMP: "All mount points on HOST:", then "host:dir", sorted, duplicates dropped;
 *   -d   DUMP: "Directories on HOST:", the directories;
 *   (none) DUMP: "Hosts on HOST:", the client hosts.
 *
 * As showmount, MOUNT's port comes from HOST's portmapper over TCP, then UDP; failures are
 * "clnt_create: RPC: ..." (no MOUNT service), "rpc mount export: RPC: ..." (the call failed),
 * exit status 1. sonfs extensions: --mountport PORT asks that port directly, without the
 * portmapper; --pmapport PORT uses a portmapper elsewhere than 111.
 */
import { getport, RpcCantConnectError, RpcClient } from '../../rpc/index.js';
import { resolveEndpoint } from '../../rpc/internal.js';
import { strerror } from '../../sockets/index.js';
import { Mount3 } from '../../nfsclient/index.js';
import { MOUNT_PROGRAM, MOUNT_V3 } from '../../nfsclient/internal.js';
import type { exportnode, mountbody } from '../../nfsclient/internal.js';
import { UsageError } from '../io.js';
import type { CliIo, Command } from '../io.js';
import { helpText } from '../lib/args.js';
import { write } from '../lib/output.js';
import { rpcErrorText } from './rpcinfo.js';


const USAGE = 'sonfs showmount [-e | -a | -d] [--no-headers] [--mountport PORT] [--pmapport PORT] [HOST]';
const DESCRIPTION = `
Show a server's NFS exports (-e) or its clients' mounts (-a, -d, or the hosts without an option),
as Debian's showmount. HOST defaults to 127.0.0.1.

  -e, --exports       the export list (MOUNT EXPORT)
  -a, --all           host:directory of every mount (MOUNT DUMP)
  -d, --directories   the directories mounted (MOUNT DUMP)
  --no-headers        leave out the first line
  --mountport PORT    MOUNT's port, instead of asking the portmapper (sonfs extension)
  --pmapport PORT     the portmapper's port (default 111; sonfs extension)

Example: sonfs showmount -e 127.0.0.1`;

/** showmount -e's lines: each directory padded to the longest, then its clients or "(everyone)". */
export function exportLines(host: string, list: readonly exportnode[], headers = true): string[] {
  const width = Math.max(0, ...list.map((e) => e.ex_dir.length));
  const lines = headers ? [`Export list for ${host}:`] : [];
  for (const e of list) {
    lines.push(`${e.ex_dir.padEnd(width)} ${e.ex_groups.length > 0 ? e.ex_groups.join(',') : '(everyone)'}`);
  }
  return lines;
}

export type DumpMode = 'all' | 'dirs' | 'hosts';

/** showmount -a / -d / (hosts)'s lines: sorted (strcmp order), consecutive duplicates dropped. */
export function dumpLines(host: string, list: readonly mountbody[], mode: DumpMode, headers = true): string[] {
  const title = mode === 'all' ? `All mount points on ${host}:` : mode === 'dirs' ? `Directories on ${host}:` : `Hosts on ${host}:`;
  const rows = list.map((m) => (mode === 'all' ? `${m.ml_hostname}:${m.ml_directory}` : mode === 'dirs' ? m.ml_directory : m.ml_hostname));
  const cmp = (a: string, b: string): number => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return Buffer.compare(x, y);
  };
  rows.sort(cmp);
  const out = headers ? [title] : [];
  for (let i = 0; i < rows.length; i++) if (i === 0 || rows[i] !== rows[i - 1]) out.push(rows[i]!);
  return out;
}

function createErrorText(e: unknown): string {
  if (e instanceof RpcCantConnectError) return `RPC: Unable to receive; errno = ${strerror(e.errno)}`;
  return rpcErrorText(e);
}

interface Options {
  mode: 'exports' | DumpMode;
  headers: boolean;
  mountport: number | undefined;
  pmapport: number;
  host: string;
}

function portArg(name: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UsageError(`${name} needs a port number, got ${v ?? 'nothing'}`);
  return Number(v);
}

function parse(args: string[]): Options | 'help' {
  const o: Options = { mode: 'hosts', headers: true, mountport: undefined, pmapport: 111, host: '127.0.0.1' };
  const hosts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return 'help';
    if (a === '-e' || a === '--exports') o.mode = 'exports';
    else if (a === '-a' || a === '--all') o.mode = 'all';
    else if (a === '-d' || a === '--directories') o.mode = 'dirs';
    else if (a === '--no-headers') o.headers = false;
    else if (a === '--mountport') o.mountport = portArg(a, args[++i]);
    else if (a === '--pmapport') o.pmapport = portArg(a, args[++i]);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else hosts.push(a);
  }
  if (hosts.length > 1) throw new UsageError('give one host');
  if (hosts.length === 1) o.host = hosts[0]!;
  return o;
}

/* clnt_create's part: MOUNT's port over TCP, then UDP; a client for it. */
async function connect(o: Options): Promise<RpcClient | string> {
  let last: unknown;
  for (const proto of ['tcp', 'udp'] as const) {
    try {
      const port = o.mountport ?? await getport(o.host, MOUNT_PROGRAM, MOUNT_V3, proto, { pmapPort: o.pmapport });
      const rpc = new RpcClient({
        host: o.host, port, proto, resvport: false,
        ...(proto === 'udp' ? { hard: false, timeo: 10, retrans: 3 } : { hard: false, timeo: 100, retrans: 1 }),
      });
      try {
        /* A UDP "connection" proves nothing: a NULL call shows that MOUNT answers there. */
        if (proto === 'tcp') await rpc.connect();
        else await rpc.ping(MOUNT_PROGRAM, MOUNT_V3, { softConnect: true });
        return rpc;
      } catch (e) {
        await rpc.close();
        throw e;
      }
    } catch (e) {
      last = e;
    }
  }
  return `clnt_create: ${createErrorText(last)}`;
}

export async function showmountMain(args: string[], io: CliIo): Promise<number> {
  const o = parse(args);
  if (o === 'help') {
    io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (typeof (await resolveEndpoint(o.host, 111)) === 'number') {
    io.stderr.write('clnt_create: RPC: Unknown host\n');
    return 1;
  }
  const rpc = await connect(o);
  if (typeof rpc === 'string') {
    io.stderr.write(`${rpc}\n`);
    return 1;
  }
  try {
    const mnt = new Mount3(rpc);
    let lines: string[];
    if (o.mode === 'exports') {
      let list: exportnode[];
      try {
        list = await mnt.export({ softConnect: true, timeout: 25_000 });
      } catch (e) {
        io.stderr.write(`rpc mount export: ${rpcErrorText(e)}\n`);
        return 1;
      }
      lines = exportLines(o.host, list, o.headers);
    } else {
      let list: mountbody[];
      try {
        list = await mnt.dump({ softConnect: true, timeout: 25_000 });
      } catch (e) {
        io.stderr.write(`rpc mount dump: ${rpcErrorText(e)}\n`);
        return 1;
      }
      lines = dumpLines(o.host, list, o.mode, o.headers);
    }
    if (lines.length > 0) await write(io.stdout, lines.map((l) => `${l}\n`).join(''));
    return 0;
  } finally {
    await rpc.close();
  }
}

export const showmount: Command = {
  summary: "show a server's exports or mounts, as Debian's showmount (showmount -e HOST)",
  usage: USAGE,
  run: (args, io) => showmountMain(args, io),
};

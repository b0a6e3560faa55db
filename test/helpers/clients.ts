import { spawn } from 'node:child_process';

/**
 * Debian's independent clients, run as child processes with a timeout and bounded, captured output:
 * libnfs-utils (nfs-ls, nfs-cat, nfs-cp), rpcbind (rpcinfo), nfs-common (showmount). They are
 * installed by scripts/ensure-client-tools.sh (run by `npm test`'s pretest).
 */
export interface ToolResult {
  /** The command line, for messages. */
  command: string;
  /** Exit status, or null if killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** True if the tool was killed for outliving its timeout. */
  timedOut: boolean;
}

export interface ToolOptions {
  /** Kill the tool (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
  /** Bytes for its stdin (stdin is closed either way). */
  input?: Buffer | string;
  /** Kill the tool if it writes more than this to stdout; default 256 MiB. */
  maxOutputBytes?: number;
}

const PACKAGE_OF: Record<string, string> = {
  'nfs-ls': 'libnfs-utils', 'nfs-cat': 'libnfs-utils', 'nfs-cp': 'libnfs-utils',
  rpcinfo: 'rpcbind', showmount: 'nfs-common',
};

/** Runs `tool args...`; resolves whatever its exit status (see runToolOk). */
export function runTool(tool: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxOutput = options.maxOutputBytes ?? 256 * 1024 * 1024;
  const command = [tool, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) child.kill('SIGKILL');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 64 * 1024) err += chunk.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') {
        const pkg = PACKAGE_OF[tool];
        reject(new Error(`${tool} is not installed${pkg ? ` (Debian package ${pkg})` : ''}: run \`bash scripts/ensure-client-tools.sh\``));
      } else {
        reject(e);
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, stdout: Buffer.concat(out), stderr: err, timedOut });
    });
    child.stdin.on('error', () => undefined); // the tool may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** Like runTool, but rejects with the command, status and stderr unless the tool exits 0. */
export async function runToolOk(tool: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const result = await runTool(tool, args, options);
  if (result.code !== 0) {
    const how = result.timedOut ? `timed out after ${options.timeoutMs ?? 30_000} ms`
      : result.code === null ? `was killed by ${result.signal}` : `exited with status ${result.code}`;
    throw new Error(`\`${result.command}\` ${how}: ${result.stderr.trim() || result.stdout.toString().trim()}`);
  }
  return result;
}

/** `nfs-ls [-R] URL`: the listing text. */
export async function nfsLs(url: string, options: ToolOptions & { recursive?: boolean } = {}): Promise<string> {
  return (await runToolOk('nfs-ls', [...(options.recursive ? ['-R'] : []), url], options)).stdout.toString();
}

/** `nfs-cat URL`: the file's bytes. */
export async function nfsCat(url: string, options: ToolOptions = {}): Promise<Buffer> {
  return (await runToolOk('nfs-cat', [url], options)).stdout;
}

/** `nfs-cp SRC DST` (either side a local path or an nfs:// URL). Refuses to overwrite an existing file. */
export function nfsCp(source: string, destination: string, options: ToolOptions = {}): Promise<ToolResult> {
  return runTool('nfs-cp', [source, destination], { timeoutMs: 120_000, ...options });
}

export function rpcinfo(args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  return runTool('rpcinfo', args, options);
}

export function showmount(args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  return runTool('showmount', args, options);
}

/** One line of nfs-ls's long listing: "-rw-r--r--  1     0     0           17 hello.txt". */
export interface NfsLsEntry {
  mode: string;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  name: string;
}

export function parseNfsLs(text: string): NfsLsEntry[] {
  const entries: NfsLsEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([-dlcbps][-rwxsStT]{9})\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+)$/.exec(line);
    if (m) entries.push({ mode: m[1]!, nlink: Number(m[2]), uid: Number(m[3]), gid: Number(m[4]), size: Number(m[5]), name: m[6]! });
  }
  return entries;
}

/** One row of `rpcinfo -p`: "    100003    3   tcp   2049  nfs". */
export interface PortmapEntry {
  program: number;
  version: number;
  protocol: string;
  port: number;
  service: string;
}

export function parseRpcinfoP(text: string): PortmapEntry[] {
  const entries: PortmapEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\w+)\s+(\d+)\s*(\S*)\s*$/.exec(line);
    if (m) entries.push({ program: Number(m[1]), version: Number(m[2]), protocol: m[3]!, port: Number(m[4]), service: m[5]! });
  }
  return entries;
}

/** The export paths of `showmount -e`'s output ("Export list for …:" then "/path (clients)"). */
export function parseShowmountE(text: string): { path: string; clients: string }[] {
  return text.split('\n').slice(1)
    .map((line) => /^(\/\S*)\s+(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: m[1]!, clients: m[2]! }));
}

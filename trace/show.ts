/*
 * `sonfs trace show`: a trace as a readable timeline, in the manner of kdump(1) — one line per
 * event: sequence number, seconds since the start, socket, call, arguments, result — followed by
 * an RPC summary in the manner of tshark's `-z rpc,srt`: calls, replies, errors and service
 * response times per program, version and procedure (a call matched to its reply by socket and
 * xid). `--json` gives the same for tools: one JSON document (bytes in base64).
 */
import { AF_LOCAL } from '../sockets/index.js';
import {
  addrText, errName, familyName, nfs4OpsText, optName, procName, progName, rpcStatusText, rpcText, typeName,
} from './names.js';
import type { TraceFile } from './reader.js';
import { Op, opName } from './schema.js';
import type { TraceEvent, TraceRpcHeader } from './schema.js';

export interface RpcSummaryRow {
  prog: number;
  vers: number;
  proc: number;
  program: string;
  procedure: string;
  calls: number;
  replies: number;
  /** Replies whose status is not success (accept_stat, denial, or the procedure's own status). */
  errors: number;
  /** Service response times in seconds (null without replies). */
  minSrt: number | null;
  maxSrt: number | null;
  avgSrt: number | null;
}

function isError(h: TraceRpcHeader): boolean {
  return h.replyStat !== 0 || h.acceptStat !== 0 || (h.status !== undefined && h.status !== 0);
}

/** The RPC summary of a trace, ordered by program, version, procedure. */
export function rpcSummary(t: TraceFile): RpcSummaryRow[] {
  const rows = new Map<string, RpcSummaryRow & { total: number }>();
  const pending = new Map<string, number>();
  const row = (prog: number, vers: number, proc: number, ops?: number[]): RpcSummaryRow & { total: number } => {
    /* NFSv4 COMPOUNDs: a row per list of operations. */
    const named = ops !== undefined && ops.length > 0 ? nfs4OpsText(ops) : null;
    const key = `${prog}/${vers}/${proc}${named === null ? '' : `/${named}`}`;
    let r = rows.get(key);
    if (r === undefined) {
      r = {
        prog, vers, proc, program: progName(prog), procedure: named ?? procName(prog, vers, proc), calls: 0, replies: 0, errors: 0,
        minSrt: null, maxSrt: null, avgSrt: null, total: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const ev of t.events) {
    for (const h of ev.rpc ?? []) {
      if (h.msgType === 0) {
        row(h.prog, h.vers, h.proc, h.ops).calls++;
        pending.set(`${ev.so}/${h.xid}`, ev.tNs);
      } else if (h.matched) {
        const r = row(h.prog, h.vers, h.proc, h.ops);
        r.replies++;
        if (isError(h)) r.errors++;
        const key = `${ev.so}/${h.xid}`;
        const t0 = pending.get(key);
        if (t0 !== undefined) {
          pending.delete(key);
          const srt = (ev.tNs - t0) / 1e9;
          r.minSrt = r.minSrt === null ? srt : Math.min(r.minSrt, srt);
          r.maxSrt = r.maxSrt === null ? srt : Math.max(r.maxSrt, srt);
          r.total += srt;
          r.avgSrt = r.total / r.replies;
        }
      }
    }
  }
  return [...rows.values()]
    .sort((a, b) => a.prog - b.prog || a.vers - b.vers || a.proc - b.proc || (a.procedure < b.procedure ? -1 : a.procedure > b.procedure ? 1 : 0))
    .map(({ total: _total, ...r }) => r);
}

function details(ev: TraceEvent): string {
  const len = ev.len ?? 0;
  const data = ev.data ?? Buffer.alloc(0);
  const bytes = (): string => `${len} bytes${data.length < len ? ` (${data.length} kept)` : ''}`;
  switch (ev.op) {
    case Op.SOCREATE:
      return `${familyName(ev.domain ?? 0)} ${typeName(ev.type ?? 0)} proto ${ev.protocol ?? 0}`;
    case Op.SOBIND:
      return `${addrText(ev.addr)}${ev.local ? ` -> ${addrText(ev.local)}` : ''}`;
    case Op.SOCONNECT:
      return addrText(ev.addr);
    case Op.SOLISTEN:
      return `backlog ${ev.flags ?? 0}`;
    case Op.SOACCEPT:
      return ev.peer ? `-> so ${ev.peer}` : '';
    case Op.SOSHUTDOWN:
      return ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'][ev.flags ?? 0] ?? `how ${ev.flags}`;
    case Op.SOSETOPT:
      return `${optName(ev.level ?? 0, ev.optname ?? 0)}${data.length === 4 ? ` ${data.readInt32LE(0)}` : len > 0 ? ` <${len} bytes>` : ''}`;
    case Op.SOGETOPT:
      return optName(ev.level ?? 0, ev.optname ?? 0);
    case Op.SOSEND:
      return `${bytes()}${ev.addr ? ` to ${addrText(ev.addr)}` : ''}${ev.flags ? ` flags 0x${ev.flags.toString(16)}` : ''}`;
    case Op.SORECEIVE:
      return `${bytes()}${ev.addr ? ` from ${addrText(ev.addr)}` : ''}${ev.flags ? ` flags 0x${ev.flags.toString(16)}` : ''}`;
    case Op.UPCALL:
      return ev.flags === 1 ? 'SO_RCV' : ev.flags === 2 ? 'SO_SND' : `which ${ev.flags}`;
    case Op.TSLEEP:
      return `chan ${ev.chan} "${ev.wmesg ?? ''}" timo ${ev.timo ?? 0}`;
    case Op.TSLEEP_END:
      return `chan ${ev.chan}`;
    case Op.WAKEUP:
      return `chan ${ev.chan}${ev.result ? ' (one)' : ''}`;
    case Op.XID_SEED:
      return `0x${(Number(ev.result ?? 0) >>> 0).toString(16).padStart(8, '0')}`;
    default:
      return '';
  }
}

/* Calls whose result is an errno (printed "= errno"). */
const RESULT_OPS = new Set<number>([
  Op.SOCREATE, Op.SOBIND, Op.SOLISTEN, Op.SOACCEPT, Op.SOCONNECT, Op.SOSHUTDOWN, Op.SOCLOSE, Op.SOSETOPT, Op.SOGETOPT,
  Op.SOSEND, Op.SORECEIVE, Op.TSLEEP_END,
]);

/** One timeline line. */
export function timelineLine(ev: TraceEvent): string {
  const time = (ev.tNs / 1e9).toFixed(6).padStart(11);
  const so = ev.so ? `so ${ev.so}`.padEnd(6) : ''.padEnd(6);
  const d = details(ev);
  let line = `${String(ev.seq).padStart(6)} ${time}  ${so} ${opName(ev.op)}${d ? ` ${d}` : ''}`;
  if (RESULT_OPS.has(ev.op)) line += ` = ${errName(ev.error)}`;
  else if (ev.op === Op.SOISDISCONNECTED && ev.error) line += ` (${errName(ev.error)})`;
  if (ev.rpc !== undefined && ev.rpc.length > 0) line += `   ${ev.rpc.map(rpcText).join('; ')}`;
  return line;
}

function srt(v: number | null): string {
  return v === null ? '-' : v.toFixed(6);
}

/** The human-readable view: header, timeline, RPC summary, and a note on a truncated tail. */
export function showText(t: TraceFile): string {
  const out: string[] = [];
  const h = t.header;
  if (h !== null) {
    out.push(`sonfs trace v${h.version} by ${h.tool}, node ${h.node}, started ${new Date(h.startUnixMs).toISOString()}`);
    if (h.argv.length > 0) out.push(`command: ${h.argv.join(' ')}`);
    out.push(`payloads: ${h.payloads ? 'all bytes (replayable)' : 'headers only'}; ${t.events.length} events`);
    out.push('');
  }
  out.push(`${'SEQ'.padStart(6)} ${'TIME(s)'.padStart(11)}  ${'SOCKET'.padEnd(6)} CALL`);
  for (const ev of t.events) out.push(timelineLine(ev));
  const rows = rpcSummary(t);
  out.push('');
  out.push('ONC-RPC service response time statistics (SRT in seconds):');
  if (rows.length === 0) {
    out.push('  (no RPC messages)');
  } else {
    const head = ['Program', 'Version', 'Procedure', 'Calls', 'Replies', 'Errors', 'Min SRT', 'Max SRT', 'Avg SRT'];
    const body = rows.map((r) => [
      r.program, String(r.vers), r.procedure, String(r.calls), String(r.replies), String(r.errors), srt(r.minSrt), srt(r.maxSrt), srt(r.avgSrt),
    ]);
    const widths = head.map((x, i) => Math.max(x.length, ...body.map((b) => b[i]!.length)));
    const fmt = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
    out.push(fmt(head));
    for (const b of body) out.push(fmt(b));
  }
  if (t.truncated !== null) {
    out.push('');
    out.push(`warning: the trace is truncated at byte ${t.truncated.offset}: ${t.truncated.reason}`);
  }
  return out.join('\n') + '\n';
}

/** The JSON view: { header, truncated, events, rpc }. Ops by name, bytes in base64, errnos also by name. */
export function showJson(t: TraceFile): string {
  const events = t.events.map((ev) => {
    const o: Record<string, unknown> = { ...ev, op: opName(ev.op), errno: errName(ev.error) };
    if (ev.data !== undefined) o.data = ev.data.toString('base64');
    if (ev.rpc !== undefined) {
      o.rpc = ev.rpc.map((h) => ({
        ...h,
        msgType: h.msgType === 0 ? 'CALL' : 'REPLY',
        program: progName(h.prog),
        procedure: h.ops !== undefined && h.ops.length > 0 ? nfs4OpsText(h.ops) : procName(h.prog, h.vers, h.proc),
        ...(h.msgType === 1 ? { statusText: rpcStatusText(h) } : {}),
      }));
    }
    if (ev.addr && ev.addr.family === AF_LOCAL) o.addr = { family: ev.addr.family, path: ev.addr.path };
    return o;
  });
  return JSON.stringify({ header: t.header, truncated: t.truncated, events, rpc: rpcSummary(t) }, null, 2) + '\n';
}

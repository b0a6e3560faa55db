/*
 * The trace schema (trace/sonfs-trace.proto), loaded at run time with protobufjs from the .proto
 * shipped in the package (package.json "files": trace/*.proto). Only this vendored file is ever
 * parsed: schemas are never taken from input.
 *
 * Plain objects go in and out (TraceEvent): numbers for every integer (nanosecond times fit a
 * double's 53 bits for 104 days; nothing here is a bigint, which protobufjs would silently
 * encode as 0), Buffers for bytes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The trace format's version, in every file's header. */
export const TRACE_VERSION = 1;
export const TRACE_MAGIC = 'sonfs-trace';

/** Op values (enum Op in the .proto). */
export const Op = {
  OP_UNSPECIFIED: 0, HEADER: 1, SOCREATE: 2, SOBIND: 3, SOLISTEN: 4, SOACCEPT: 5, SOCONNECT: 6, SOSHUTDOWN: 7,
  SOCLOSE: 8, SOSETOPT: 9, SOGETOPT: 10, SOSEND: 11, SORECEIVE: 12, UPCALL: 13, TSLEEP: 14, TSLEEP_END: 15,
  WAKEUP: 16, SOISCONNECTED: 17, SOISDISCONNECTED: 18, XID_SEED: 19,
} as const;
export type OpValue = (typeof Op)[keyof typeof Op];

const OP_NAMES = new Map<number, string>(Object.entries(Op).map(([k, v]) => [v, k]));
/** The name of an op value ("OP_37" for one this version does not know). */
export function opName(op: number): string {
  return OP_NAMES.get(op) ?? `OP_${op}`;
}

export interface TraceSockAddr {
  family: number;
  address?: string;
  port?: number;
  path?: string;
}

export interface TraceRpcHeader {
  xid: number;
  /** 0 CALL, 1 REPLY. */
  msgType: number;
  prog: number;
  vers: number;
  proc: number;
  replyStat: number;
  acceptStat: number;
  rejectStat: number;
  status?: number;
  length: number;
  matched: boolean;
  /** NFSv4 COMPOUND: the operation numbers (0 last: more followed than the trace kept). */
  ops?: number[];
}

export interface TraceHeader {
  magic: string;
  version: number;
  tool: string;
  argv: string[];
  payloads: boolean;
  startUnixMs: number;
  node: string;
}

/** One event, as written and as read back (absent fields read as their zero values). */
export interface TraceEvent {
  seq: number;
  tNs: number;
  so: number;
  op: number;
  error: number;
  domain?: number;
  type?: number;
  protocol?: number;
  flags?: number;
  level?: number;
  optname?: number;
  addr?: TraceSockAddr | null;
  len?: number;
  data?: Buffer;
  rpc?: TraceRpcHeader[];
  chan?: number;
  wmesg?: string;
  timo?: number;
  result?: number;
  header?: TraceHeader | null;
  local?: TraceSockAddr | null;
  peer?: number;
  flagsOut?: number;
}

/** Where the .proto is: beside this module (source tree) or at the package root (dist/trace/). */
export function protoPath(): string {
  const candidates = [new URL('./sonfs-trace.proto', import.meta.url), new URL('../../trace/sonfs-trace.proto', import.meta.url)];
  for (const u of candidates) {
    const p = fileURLToPath(u);
    if (existsSync(p)) return p;
  }
  throw new Error('sonfs-trace.proto not found beside the trace module or in the package');
}

let cached: protobuf.Type | null = null;

/** The Event message type (loaded once). */
export function eventType(): protobuf.Type {
  if (cached === null) cached = protobuf.loadSync(protoPath()).lookupType('sonfstrace.Event');
  return cached;
}

/** Encode one record (0x0a, varint length, Event) into `w`. */
export function encodeRecord(ev: TraceEvent, w: protobuf.Writer): void {
  w.uint32(0x0a).fork();
  eventType().encode(ev as unknown as Record<string, unknown>, w);
  w.ldelim();
}

/** A decoded Event as a TraceEvent (int64 fields as numbers, bytes as Buffers, defaults filled). */
export function toTraceEvent(m: protobuf.Message): TraceEvent {
  const o = eventType().toObject(m, {
    longs: Number, enums: Number, bytes: Buffer, defaults: true, arrays: true, oneofs: true,
  }) as TraceEvent;
  if (o.header && o.header.argv === undefined) o.header.argv = [];
  /* A proto3 optional (RpcHeader.status) is present only when it was written; no synthetic oneof name is kept. */
  for (const h of o.rpc ?? []) {
    delete (h as TraceRpcHeader & { _status?: string })._status;
    if (h.ops !== undefined && h.ops.length === 0) delete h.ops;
  }
  return o;
}

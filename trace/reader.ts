/*
 * Reading a trace file: the records in order, stopping cleanly at a truncated or damaged tail.
 *
 * Each record is the byte 0x0a (Trace.events, length-delimited), a varint length, and that many
 * bytes of Event. The varint and the whole body are checked to be present before decoding
 * (protobufjs's decodeDelimited throws a RangeError on a short buffer), so a file cut anywhere
 * yields every complete record and a `truncated` note saying where and why it stopped. Fields
 * this version does not know (written by a newer sonfs) are skipped.
 */
import { readFileSync } from 'node:fs';
import { eventType, Op, TRACE_MAGIC, toTraceEvent } from './schema.js';
import type { TraceEvent, TraceHeader } from './schema.js';

export interface TraceFile {
  header: TraceHeader | null;
  /** Every event after the header, in file order. */
  events: TraceEvent[];
  /** Null when the file ends on a record boundary; else where and why reading stopped. */
  truncated: { offset: number; record: number; reason: string } | null;
}

/** Thrown for input that is not a sonfs trace at all. */
export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

/* A varint at b[pos]: [value, next pos], or null if the buffer ends inside it; -1 value if too long. */
function varint(b: Buffer, pos: number): [number, number] | null {
  let v = 0;
  for (let i = 0; i < 5; i++) {
    if (pos + i >= b.length) return null;
    const byte = b[pos + i]!;
    v += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return [v, pos + i + 1];
  }
  return [-1, pos + 5];
}

/** Largest record accepted: far above any the recorder writes (a 64 MiB payload). */
const RECORD_MAX = 256 * 1024 * 1024;

/** Parse a trace held in memory. @throws TraceFormatError if it does not start like one. */
export function parseTrace(buf: Buffer): TraceFile {
  const T = eventType();
  const out: TraceFile = { header: null, events: [], truncated: null };
  let pos = 0;
  let record = 0;
  const stop = (reason: string): TraceFile => {
    if (record === 0) throw new TraceFormatError(`not a sonfs trace: ${reason}`);
    out.truncated = { offset: pos, record, reason };
    return out;
  };
  while (pos < buf.length) {
    if (buf[pos] !== 0x0a) return stop(`byte ${pos} is 0x${buf[pos]!.toString(16).padStart(2, '0')}, not the start of a record (0x0a)`);
    const lv = varint(buf, pos + 1);
    if (lv === null) return stop(`the file ends inside the length of record ${record}`);
    const [len, body] = lv;
    if (len < 0 || len > RECORD_MAX) return stop(`record ${record} claims an impossible length`);
    if (body + len > buf.length) {
      return stop(`record ${record} is cut short: ${buf.length - body} of its ${len} bytes are in the file`);
    }
    let ev: TraceEvent;
    try {
      ev = toTraceEvent(T.decode(buf.subarray(body, body + len)));
    } catch (e) {
      return stop(`record ${record} does not decode: ${(e as Error).message}`);
    }
    if (record === 0) {
      if (ev.op !== Op.HEADER || ev.header === null || ev.header === undefined || ev.header.magic !== TRACE_MAGIC) {
        throw new TraceFormatError('not a sonfs trace: the first record is not a sonfs-trace header');
      }
      out.header = ev.header;
    } else {
      out.events.push(ev);
    }
    record++;
    pos = body + len;
  }
  if (record === 0) throw new TraceFormatError('not a sonfs trace: the file is empty');
  return out;
}

/** Read and parse a trace file. @throws the read error, or TraceFormatError. */
export function readTrace(path: string): TraceFile {
  return parseTrace(readFileSync(path));
}

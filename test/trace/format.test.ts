/*
 * The trace file format: truncated tails, schema evolution (a field this version does not know),
 * and Debian's protoc decoding the same files with the shipped .proto.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, test } from 'vitest';
import { TraceFormatError, parseTrace } from '../../trace/reader.js';
import { Op, eventType } from '../../trace/schema.js';
import { run } from '../cli/helpers.js';
import { PROTO, fixture, loadFixture, scratch } from './helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

/* [offset of each record, end] of a well-formed trace file. */
function recordBounds(b: Buffer): number[] {
  const at: number[] = [];
  let pos = 0;
  while (pos < b.length) {
    at.push(pos);
    const r = protobuf.Reader.create(b.subarray(pos + 1));
    const len = r.uint32();
    pos += 1 + r.pos + len;
  }
  at.push(pos);
  return at;
}

describe('truncated traces', () => {
  const whole = readFileSync(fixture('cat-hello.pb'));
  const bounds = recordBounds(whole);
  const all = parseTrace(whole);

  test('a file cut anywhere yields every complete record and says where it stopped', () => {
    expect(all.truncated).toBeNull();
    expect(bounds.length - 2).toBe(all.events.length);
    /* Cuts at each record's start, inside its tag and length, and in its body. */
    const cuts = bounds.slice(1, -1).flatMap((b, i) => [b, b + 1, b + 2, Math.floor((b + bounds[i + 2]!) / 2)]);
    for (const cut of cuts) {
      const t = parseTrace(whole.subarray(0, cut));
      const complete = bounds.filter((b) => b <= cut).length - 2;
      expect(t.events.length).toBe(complete);
      if (complete > 0) expect(t.events[complete - 1]).toEqual(all.events[complete - 1]);
      if (bounds.includes(cut)) expect(t.truncated).toBeNull();
      else {
        expect(t.truncated).not.toBeNull();
        expect(t.truncated!.offset).toBe(bounds[complete + 1]);
        expect(t.truncated!.reason).toMatch(/cut short|ends inside the length/);
      }
    }
  });

  test('garbage after the last record is reported, the records before it kept', () => {
    const t = parseTrace(Buffer.concat([whole, Buffer.from([0xff, 0x01, 0x02])]));
    expect(t.events.length).toBe(all.events.length);
    expect(t.truncated!.reason).toContain('not the start of a record');
  });

  test('input that is not a trace is refused, not half-read', () => {
    expect(() => parseTrace(Buffer.alloc(0))).toThrow(TraceFormatError);
    expect(() => parseTrace(Buffer.from('hello world'))).toThrow(/not a sonfs trace/);
    /* A well-formed record that is not a header. */
    const w = protobuf.Writer.create();
    w.uint32(0x0a).fork();
    eventType().encode({ seq: 1, op: Op.SOSEND }, w);
    w.ldelim();
    expect(() => parseTrace(Buffer.from(w.finish()))).toThrow(/first record is not a sonfs-trace header/);
  });

  test('sonfs trace show prints a truncated trace up to its last record, with a warning', async () => {
    const cut = bounds[10]! + 3;
    const file = tmp.write('cut.pb', whole.subarray(0, cut));
    const r = await run(['trace', 'show', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning: the trace is truncated');
    expect(r.stderr).toContain('truncated: record 10 is cut short');
    expect(r.stdout.split('\n').filter((l) => /^\s+\d+\s+\d+\.\d{6}/.test(l))).toHaveLength(9);
  });
});

describe('schema evolution', () => {
  /* A record as a newer sonfs might write it: an Event with fields 100 (varint) and 101 (bytes) added. */
  function withUnknownFields(ev: Record<string, unknown>): Buffer {
    const w = protobuf.Writer.create();
    eventType().encode(ev, w);
    w.uint32((100 << 3) | 0).uint32(4242);
    w.uint32((101 << 3) | 2).bytes(Buffer.from('from the future'));
    const body = w.finish();
    const rec = protobuf.Writer.create();
    rec.uint32(0x0a).bytes(body);
    return Buffer.from(rec.finish());
  }

  test('records with fields this version does not know are read, the known fields intact', () => {
    const whole = readFileSync(fixture('stat-hello.pb'));
    const header = whole.subarray(0, recordBounds(whole)[1]);
    const ev = { seq: 1, tNs: 5, so: 2, op: Op.SOSEND, error: 0, len: 3, data: Buffer.from('abc') };
    const b = Buffer.concat([header, withUnknownFields(ev), withUnknownFields({ ...ev, seq: 2, op: Op.SOCLOSE })]);
    const t = parseTrace(b);
    expect(t.truncated).toBeNull();
    expect(t.events).toHaveLength(2);
    expect(t.events[0]).toMatchObject({ seq: 1, tNs: 5, so: 2, op: Op.SOSEND, len: 3, data: Buffer.from('abc') });
    expect(t.events[1]).toMatchObject({ seq: 2, op: Op.SOCLOSE });
    expect(t.events[0]).not.toHaveProperty('100');
  });

  test('an op this version does not know is shown by number', async () => {
    const whole = readFileSync(fixture('stat-hello.pb'));
    const header = whole.subarray(0, recordBounds(whole)[1]);
    const file = tmp.write('future-op.pb', Buffer.concat([header, withUnknownFields({ seq: 1, op: 77, so: 1 })]));
    const r = await run(['trace', 'show', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\s1\s+0\.000000\s+so 1\s+OP_77/);
  });
});

describe('protoc reads the same files with the shipped .proto', () => {
  const protoc = (args: string[], input: Buffer): string =>
    execFileSync('protoc', [`--proto_path=${dirname(PROTO)}`, ...args, PROTO], { input, maxBuffer: 64 << 20 }).toString();

  test('protoc --decode=sonfstrace.Trace prints a recorded file as one Trace message', () => {
    const b = readFileSync(fixture('cat-hello.pb'));
    const text = protoc(['--decode=sonfstrace.Trace'], b);
    const t = loadFixture('cat-hello.pb');
    expect(text.match(/^events \{/gm)).toHaveLength(t.events.length + 1);
    expect(text).toContain('magic: "sonfs-trace"');
    expect(text).toContain('op: SOCREATE');
    expect(text).toMatch(/op: SOSEND[\s\S]*?prog: 100003[\s\S]*?proc: 6/);
    const reads = t.events.flatMap((e) => (e.rpc ?? []).filter((h) => h.prog === 100003 && h.proc === 6 && h.msgType === 0));
    expect(text).toContain(`xid: ${reads[0]!.xid}`);
  });

  test('protoc --decode=sonfstrace.Event decodes one record with its varint length stripped', () => {
    const b = readFileSync(fixture('cat-hello.pb'));
    const bounds = recordBounds(b);
    const start = bounds[1]!;
    const r = protobuf.Reader.create(b.subarray(start + 1));
    const len = r.uint32();
    const body = b.subarray(start + 1 + r.pos, start + 1 + r.pos + len);
    const text = protoc(['--decode=sonfstrace.Event'], body);
    const first = loadFixture('cat-hello.pb').events[0]!;
    expect(text).toContain(`seq: ${first.seq}`);
    expect(text).toContain(`op: ${Object.entries(Op).find(([, v]) => v === first.op)![0]}`);
  });

  test('protoc shows an unknown field of a newer writer by number', () => {
    const w = protobuf.Writer.create();
    eventType().encode({ seq: 9, op: Op.SOCLOSE }, w);
    w.uint32((100 << 3) | 0).uint32(4242);
    const text = protoc(['--decode=sonfstrace.Event'], Buffer.from(w.finish()));
    expect(text).toContain('seq: 9');
    expect(text).toContain('100: 4242');
  });
});

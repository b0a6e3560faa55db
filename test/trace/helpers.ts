/* Building trace files for tests: fixtures, edited copies, scratch paths. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { readTrace } from '../../trace/reader.js';
import type { TraceFile } from '../../trace/reader.js';
import { Op, encodeRecord } from '../../trace/schema.js';
import type { TraceEvent, TraceHeader } from '../../trace/schema.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
export const PROTO = fileURLToPath(new URL('../../trace/sonfs-trace.proto', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function loadFixture(name: string): TraceFile {
  return readTrace(fixture(name));
}

/** The bytes of a trace file with this header and these events. */
export function encodeTrace(header: TraceHeader, events: readonly TraceEvent[]): Buffer {
  const w = protobuf.Writer.create();
  encodeRecord({ seq: 0, tNs: 0, so: 0, op: Op.HEADER, error: 0, header }, w);
  for (const ev of events) encodeRecord(ev, w);
  return Buffer.from(w.finish());
}

/** A scratch directory removed by the returned cleanup. */
export function scratch(): { dir: string; file(name: string): string; write(name: string, b: Buffer): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sonfs-trace-test-'));
  return {
    dir,
    file: (name) => join(dir, name),
    write(name, b) {
      const p = join(dir, name);
      writeFileSync(p, b);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

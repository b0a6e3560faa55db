/*
 * Turning tracing on and off for the process: one Recorder at a time, installed through the
 * instrumentation seam (rpc/instrument.ts) as one object: the socket layer's tracer and the source
 * of RPC clients' first xids (recorded so a replay can reuse them). Several users of the same
 * file share it (the CLI's --trace and the mounts it makes with trace=FILE); the file is closed,
 * and the instrumentation removed, when the last one stops.
 *
 * A trace records every socket of the process while it is on, not only one mount's.
 */
import { resolve } from 'node:path';
import { instrument, uninstrument, xid_random } from '../rpc/internal.js';
import type { Instrumentation } from '../rpc/internal.js';
import { Recorder } from './recorder.js';
import type { RecorderOptions } from './recorder.js';

export interface TraceHandle {
  readonly path: string;
  readonly recorder: Recorder;
  /** Stop this user's tracing; the last one closes the file. @throws the file's write error. Idempotent. */
  stop(): void;
}

let active: { recorder: Recorder; users: number; instrumentation: Instrumentation } | null = null;

/** The file being recorded to, or null. */
export function activeTracePath(): string | null {
  return active === null ? null : active.recorder.path;
}

/**
 * Start recording to `path` (created or truncated), or join the recording already going to it.
 * @throws Error if another file is being recorded, a replay is running, or the file cannot be created.
 */
export function startTrace(path: string, options: RecorderOptions = {}): TraceHandle {
  const full = resolve(path);
  if (active !== null) {
    if (active.recorder.path !== full) throw new Error(`cannot trace to ${path}: already tracing to ${active.recorder.path}`);
  } else {
    const recorder = new Recorder(full, options);
    const instrumentation: Instrumentation = {
      ktrace: recorder,
      replay: null,
      xid: () => {
        const start = xid_random();
        recorder.xidSeed(start);
        return start;
      },
    };
    try {
      instrument(instrumentation);
    } catch (e) {
      recorder.close();
      throw e;
    }
    active = { recorder, users: 0, instrumentation };
  }
  const session = active;
  session.users++;
  let stopped = false;
  return {
    path: full,
    recorder: session.recorder,
    stop() {
      if (stopped) return;
      stopped = true;
      if (--session.users > 0) return;
      if (active === session) {
        active = null;
        uninstrument(session.instrumentation);
      }
      session.recorder.close();
    },
  };
}

/**
 * The mount() option trace=FILE: record while `mount` runs and until the client it returns is
 * unmounted (its umount() is wrapped to stop the recording after it finishes).
 */
export async function traceMount<T extends { umount(): Promise<void> }>(
  path: string, payloads: boolean, mount: () => Promise<T>,
): Promise<T> {
  const handle = startTrace(path, { payloads });
  let client: T;
  try {
    client = await mount();
  } catch (e) {
    handle.stop();
    throw e;
  }
  const umount = client.umount.bind(client);
  client.umount = () => umount().finally(() => handle.stop());
  return client;
}

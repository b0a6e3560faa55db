/*
 * The instrumentation seam of the socket layer: one object, installed and removed as a whole,
 * through which a trace session sees every so* call (its `ktrace`) and a replay session supplies
 * the protocol of new sockets (its `replay`). Nothing else in the socket layer changes with
 * tracing or replay, and nothing else sets these hooks.
 *
 * One instrumentation at a time, for the process (the kernel's ktrace and this replay are
 * process-wide too): so_instrument answers EBUSY while another is installed. The RPC layer
 * extends the object with the source of first xids (rpc/instrument.ts) and installs it through
 * here.
 *
 * Cost when off: each hook in the socket layer is one test of a module-level value that is null
 * (`ktr` here, and synch.ts's own for sleeps), as before.
 */
import { EBUSY, EINVAL } from './errno.js';
import type { Ktrace, SoReplay } from './ktrace.js';
import { synch_trace } from './synch.js';

/** What a trace or replay session installs in the socket layer. */
export interface SoInstrumentation {
  /** The tracer of every so* call, sleep, wakeup and upcall; null: none. */
  readonly ktrace: Ktrace | null;
  /** The protocol of new sockets (a recorded peer); null: the host's. */
  readonly replay: SoReplay | null;
}

/** The installed tracer, or null: read by the hooks of the socket layer. */
export let ktr: Ktrace | null = null;
/** The installed replay, or null: read by socreate. */
export let so_replay: SoReplay | null = null;

let installed: SoInstrumentation | null = null;

/** Install `i`. 0, or EBUSY while another instrumentation is installed (installing `i` again is 0). */
export function so_instrument(i: SoInstrumentation): number {
  if (installed === i) return 0;
  if (installed !== null) return EBUSY;
  installed = i;
  ktr = i.ktrace;
  so_replay = i.replay;
  synch_trace(i.ktrace);
  return 0;
}

/** Remove `i`. 0, or EINVAL if `i` is not the one installed (nothing changes). */
export function so_uninstrument(i: SoInstrumentation): number {
  if (installed !== i) return EINVAL;
  installed = null;
  ktr = null;
  so_replay = null;
  synch_trace(null);
  return 0;
}

/** The installed instrumentation, or null. */
export function so_instrumentation(): SoInstrumentation | null {
  return installed;
}

/*
 * The instrumentation seam as the RPC layer extends it: the socket layer's object (a tracer, a
 * replay: sockets/instrument.ts) plus the source of each new RPC client's first xid. A trace
 * session records the xids its source hands out (so that a replay can reuse them); a replay
 * session hands out the recorded ones in order, so that the replayed calls carry the recorded
 * xids. trace/ builds one such object per session and installs and removes it as a whole.
 *
 * The object installed is held in one place, the socket layer's; the RPC layer reads its `xid`
 * from there when an XidAllocator is made without a start.
 */
import { EBUSY } from '../sockets/index.js';
import { so_instrument, so_instrumentation, so_uninstrument } from '../sockets/internal.js';
import type { SoInstrumentation } from '../sockets/internal.js';

/** What a trace or replay session installs. */
export interface Instrumentation extends SoInstrumentation {
  /** The first xid of each new RPC client (XidAllocator without a start); null: a random one. */
  readonly xid: (() => number) | null;
}

/**
 * Install `i` in the socket layer and the RPC clients made from now on.
 * @throws Error while another instrumentation (another trace or replay) is installed.
 */
export function instrument(i: Instrumentation): void {
  if (so_instrument(i) === EBUSY) throw new Error('a trace or a replay is already installed in this process');
}

/** Remove `i` (nothing happens if it is not the one installed). */
export function uninstrument(i: Instrumentation): void {
  so_uninstrument(i);
}

/** The installed source of first xids, or null. */
export function xidSource(): (() => number) | null {
  const i = so_instrumentation() as Partial<Instrumentation> | null;
  return i?.xid ?? null;
}

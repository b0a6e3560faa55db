/*
 * What the layers above sockets/ in this repository may use beyond the public index: the
 * instrumentation seam (instrument.ts: one object, installed and removed as a whole, carrying a
 * tracer and a replay; rpc/instrument.ts extends it, trace/ installs it), what a tracer and a
 * replay implement, what a tracer needs to look at a socket, the constants as one object (for
 * naming values: trace/names.ts), and the test-only switch of the fast paths (fastpath.ts). Not
 * part of the package's API.
 */
export { sovalid } from './socket.js';
export { so_instrument, so_instrumentation, so_uninstrument } from './instrument.js';
export type { SoInstrumentation } from './instrument.js';
export type { Ktrace, SoReplay, SoreceiveImpl, SoreceiveNowaitImpl, SosendImpl, SosendNowaitImpl } from './ktrace.js';
export type { SleepTrace } from './synch.js';
export { replay_hook } from './proto/replay.js';
export type { ReplayAddr, ReplayDelivery, ReplayScript } from './proto/replay.js';
export * as constants from './constants.js';
export { so_fastpath } from './fastpath.js';

/*
 * sonfs/trace: recording the socket layer and RPC traffic of a process to a protobuf trace,
 * reading and showing traces, and replaying a recorded command (docs/trace.md).
 */
export { startTrace, activeTracePath, traceMount } from './session.js';
export type { TraceHandle } from './session.js';
export { Recorder } from './recorder.js';
export type { RecorderOptions } from './recorder.js';
export { readTrace, parseTrace, TraceFormatError } from './reader.js';
export type { TraceFile } from './reader.js';
export { startReplay, activeReplay, compareSend, ReplayDivergence, ReplayError, ReplaySession } from './replay.js';
export type { ReplayHandle } from './replay.js';
export { rpcSummary, showJson, showText, timelineLine } from './show.js';
export type { RpcSummaryRow } from './show.js';
export { Op } from './schema.js';
export type { TraceEvent } from './schema.js';

/*
 * Workload 6, sonfs side, in its own process: NFSv3 NULL calls through RpcClient over TCP with
 * INFLIGHT outstanding, after a warm-up. Prints one JSON line {"callsPerSec"}.
 *
 *   node dist/bench/workloads/null-child.js HOST PORT CALLS INFLIGHT
 */
import { nullCalls } from '../lib/null-calls.js';

const [host, portArg, callsArg, inflightArg] = process.argv.slice(2);
const port = Number(portArg);
const calls = Number(callsArg);
const inflight = Number(inflightArg);
if (host === undefined || !(port > 0) || !(calls > 0) || !(inflight > 0)) {
  console.error('usage: null-child HOST PORT CALLS INFLIGHT');
  process.exit(2);
}
const s = await nullCalls(host, port, 'tcp', inflight, calls);
console.log(JSON.stringify({ callsPerSec: s.rate, cpuUsPerCall: s.cpuUs }));

/*
 * Tracing and replay hooks of the socket layer (in the spirit of ktrace(2) for the so* calls).
 *
 * `ktr` is null unless a tracer is installed (ktrace_set): every hook in the socket layer is one
 * test of it, so tracing costs a single null check per call when off. A tracer sees each call
 * with its arguments and result; for calls that move bytes (sosend, soreceive) it is handed the
 * untraced implementation and runs it itself, so it can look at the bytes before they are
 * consumed (sosend's chain) and after they arrive (soreceive). A tracer must not throw, must not
 * keep the caller's mbufs or buffers (copy what it keeps), and must not call into the socket
 * layer from a hook.
 *
 * `so_replay` is null unless a replay is installed (soreplay_set): socreate then asks it for the
 * protocol of every socket it creates (sockets/proto/replay.ts plays a recorded session back).
 */
import type { Mbuf } from './mbuf.js';
import type { Protosw } from './protosw.js';
import type { Ref } from './ref.js';
import type { Socket } from './socket.js';
import type { Uio } from './uio.js';

export type SosendImpl = (
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
) => Promise<number>;
export type SosendNowaitImpl = (
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
) => number;
export type SoreceiveImpl = (
  so: Socket, paddr: Ref<Mbuf | null> | null, uio: Uio, mp0: Ref<Mbuf | null> | null,
  controlp: Ref<Mbuf | null> | null, flagsp: Ref<number> | null,
) => Promise<number>;
export type SoreceiveNowaitImpl = (
  so: Socket, paddr: Ref<Mbuf | null> | null, uio: Uio, mp0: Ref<Mbuf | null> | null,
  controlp: Ref<Mbuf | null> | null, flagsp: Ref<number> | null,
) => number;

/** What a tracer implements (trace/recorder.ts). Addresses are the caller's: read, never kept. */
export interface Ktrace {
  socreate(dom: number, type: number, proto: number, error: number, so: Socket | null): void;
  sobind(so: Socket, nam: Mbuf, result: Promise<number>): Promise<number>;
  solisten(so: Socket, backlog: number, result: Promise<number>): Promise<number>;
  soaccept(head: Socket, aso: Ref<Socket | null>, result: Promise<number>): Promise<number>;
  soconnect(so: Socket, nam: Mbuf, error: number): void;
  soshutdown(so: Socket, how: number, error: number): void;
  soclose(so: Socket, result: Promise<number>): Promise<number>;
  sosetopt(so: Socket, level: number, optname: number, m0: Mbuf | null, error: number): void;
  sogetopt(so: Socket, level: number, optname: number, error: number): void;
  sosend(
    so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
    impl: SosendImpl,
  ): Promise<number>;
  sosend_nowait(
    so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
    impl: SosendNowaitImpl,
  ): number;
  soreceive(
    so: Socket, paddr: Ref<Mbuf | null> | null, uio: Uio, mp0: Ref<Mbuf | null> | null,
    controlp: Ref<Mbuf | null> | null, flagsp: Ref<number> | null, impl: SoreceiveImpl,
  ): Promise<number>;
  soreceive_nowait(
    so: Socket, paddr: Ref<Mbuf | null> | null, uio: Uio, mp0: Ref<Mbuf | null> | null,
    controlp: Ref<Mbuf | null> | null, flagsp: Ref<number> | null, impl: SoreceiveNowaitImpl,
  ): number;
  /** An upcall is about to run (which: SO_RCV or SO_SND). */
  upcall(so: Socket, which: number): void;
  /** A sleep starts on `ident` (`sleep` identifies it until tsleep_end). */
  tsleep(ident: object, priority: number, wmesg: string, timo: number, sleep: object): void;
  /** A sleep ended with `error`. */
  tsleep_end(ident: object, sleep: object, error: number): void;
  /** wakeup / wakeup_one on a channel with sleepers. */
  wakeup(ident: object, one: boolean): void;
  /** Connection state: established, or gone (so_error then holds the reason, or 0). */
  soisconnected(so: Socket): void;
  soisdisconnected(so: Socket): void;
}

/** What a replay implements (sockets/proto/replay.ts): the protocol for a new socket. */
export interface SoReplay {
  /** The protosw to use for socreate(dom, type, proto), or null for the host's own. */
  protosw(dom: number, type: number, proto: number): Protosw | null;
}

/** The installed tracer, or null (tracing off). */
export let ktr: Ktrace | null = null;

/** The installed replay, or null. */
export let so_replay: SoReplay | null = null;

/** Install (or with null remove) the tracer; returns the previous one. */
export function ktrace_set(t: Ktrace | null): Ktrace | null {
  const old = ktr;
  ktr = t;
  return old;
}

/** Install (or with null remove) the replay; returns the previous one. */
export function soreplay_set(r: SoReplay | null): SoReplay | null {
  const old = so_replay;
  so_replay = r;
  return old;
}

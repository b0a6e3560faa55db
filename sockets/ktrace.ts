/*
 * What a tracer and a replay implement (in the spirit of ktrace(2) for the so* calls); they are
 * installed together, as one instrumentation object, through instrument.ts.
 *
 * A tracer sees each call with its arguments and result; for calls that move bytes (sosend,
 * soreceive) it is handed the untraced implementation and runs it itself, so it can look at the
 * bytes before they are consumed (sosend's chain) and after they arrive (soreceive). A tracer
 * must not throw, must not keep the caller's mbufs or buffers (copy what it keeps), and must not
 * call into the socket layer from a hook.
 *
 * A replay is asked by socreate for the protocol of every socket it creates
 * (sockets/proto/replay.ts plays a recorded session back).
 */
import type { Mbuf } from './mbuf.js';
import type { Protosw } from './protosw.js';
import type { Ref } from './ref.js';
import type { Socket } from './socket.js';
import type { SleepTrace } from './synch.js';
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
export interface Ktrace extends SleepTrace {
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
  /** Connection state: established, or gone (so_error then holds the reason, or 0). */
  soisconnected(so: Socket): void;
  soisdisconnected(so: Socket): void;
}

/** What a replay implements (sockets/proto/replay.ts): the protocol for a new socket. */
export interface SoReplay {
  /** The protosw to use for socreate(dom, type, proto), or null for the host's own. */
  protosw(dom: number, type: number, proto: number): Protosw | null;
}

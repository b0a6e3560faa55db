import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { PortInUseError } from './errors.js';

export type Protocol = 'tcp' | 'udp';

/** Ports handed out by pickFreePort and not yet released, so that servers started concurrently in
 * one process never pick the same number. */
const reserved = new Set<number>();

/**
 * A port number that is free on `host` for both TCP and UDP right now (the kernel's choice for a
 * TCP bind to port 0, checked on UDP). It is reserved in this process until releasePorts(); another
 * process can still take it before the server binds it, so callers retry on "port already
 * allocated" errors.
 */
export async function pickFreePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await bindTcp(host, 0);
    if (typeof port !== 'number' || reserved.has(port)) continue;
    if ((await bindUdp(host, port)) !== port) continue;
    reserved.add(port);
    return port;
  }
  throw new Error(`could not find a port free for both TCP and UDP on ${host}`);
}

export function releasePorts(ports: Iterable<number | null | undefined>): void {
  for (const p of ports) if (typeof p === 'number') reserved.delete(p);
}

export interface PortClaim {
  port: number;
  protocol: Protocol;
  /** Address the server will bind: '0.0.0.0' for a wildcard listener such as rpcbind's. */
  host: string;
  /** What needs the port, for the error message. */
  purpose: string;
}

/**
 * Throws PortInUseError for the first claimed port that something already holds. A port this
 * process may not bind (a port below 1024 when not root) cannot be checked and is left to the
 * server, which reports the failure itself.
 */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  for (const claim of claims) {
    const result = claim.protocol === 'tcp' ? await bindTcp(claim.host, claim.port) : await bindUdp(claim.host, claim.port);
    if (result === 'EADDRINUSE') {
      throw new PortInUseError(
        `port ${claim.port}/${claim.protocol} is already in use on this host, but ${claim.purpose} needs it. ` +
        `Find the holder with \`ss -ltnup 'sport = :${claim.port}'\`` +
        (claim.port === 111 ? ' (a host rpcbind? stop it: `systemctl stop rpcbind.socket rpcbind`)' : '') +
        ', or stop the sonfs server that holds it (`docker ps --filter label=sonfs.server`).',
        claim.port, claim.protocol);
    }
  }
}

/** Binds and closes at once: the bound port, or the errno code of the failure. */
function bindTcp(host: string, port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'EIO'));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : 'EIO';
      server.close(() => resolve(bound));
    });
  });
}

function bindUdp(host: string, port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.unref();
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      resolve(err.code ?? 'EIO');
    });
    socket.bind({ address: host, port, exclusive: true }, () => {
      const bound = socket.address().port;
      socket.close(() => resolve(bound));
    });
  });
}

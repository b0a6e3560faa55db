import { inject } from 'vitest';
import { attachGanesha, nfsUrl, type ExecResult, type GaneshaPorts, type StartedGanesha } from '../../testing/index.js';
import type { SuiteServerInfo } from './suite-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared nfs-ganesha server started by test/global-setup.ts. */
    ganesha: SuiteServerInfo;
  }
}

/**
 * The suite's shared server, as seen from a test: where it is, URLs for libnfs-style clients, and
 * commands inside its container. Exports: /export (read-write, no root squash), /ro (read-only,
 * seeded: see RO_ENTRIES in sonfs/testing), /squash (root squashed to 65534). It is shared by every
 * test file (and by concurrent runs): write only inside your own scratchDir(), never restart or stop it.
 */
export interface SuiteServer {
  readonly host: string;
  readonly ports: GaneshaPorts;
  readonly containerId: string;
  /** nfs://127.0.0.1<path>?nfsport=2049&mountport=20048&version=3, plus `params`. */
  url(path?: string, params?: Record<string, string | number>): string;
  /** Runs a command in the server's container (a string goes through bash -c). */
  exec(command: string | readonly string[], timeoutMs?: number): Promise<ExecResult>;
}

let attached: Promise<StartedGanesha> | undefined;

export function suiteServer(): SuiteServer {
  const info = inject('ganesha');
  if (info === undefined) {
    throw new Error('no shared ganesha server was provided: is test/global-setup.ts the globalSetup of this vitest run?');
  }
  const handle = (): Promise<StartedGanesha> => (attached ??= attachGanesha(info.containerId));
  return {
    host: info.host,
    ports: info.ports,
    containerId: info.containerId,
    url(path = '/export', params = {}) {
      return nfsUrl(info.host, info.ports, path, params);
    },
    async exec(command, timeoutMs) {
      return (await handle()).exec(command, timeoutMs);
    },
  };
}

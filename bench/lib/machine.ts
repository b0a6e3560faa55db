/* What the results were measured on: recorded in the JSON beside the figures. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { packageRoot } from '../../testing/package-root.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  libnfs: string;
  commit: string;
  /** True when the working tree had changes not committed (the figures are of that tree). */
  dirty: boolean;
  loadAtStart: number[];
}

function quiet(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const root = packageRoot();
  const status = quiet('git', ['status', '--porcelain', '--untracked-files=no'], root);
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    libnfs: quiet('dpkg-query', ['-W', '-f', '${Version}', 'libnfs-utils']),
    commit: quiet('git', ['rev-parse', 'HEAD'], root),
    dirty: status !== '' && status !== 'unknown',
    loadAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

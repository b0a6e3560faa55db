/**
 * sonfs/testing: real NFS servers for tests. startGanesha() runs nfs-ganesha and rpcbind in Docker,
 * built from the package's servers/ganesha; see docs/servers.md.
 *
 *     import { startGanesha } from 'sonfs/testing';
 *     const nfs = await startGanesha();
 *     // ... nfs.url('/export'), nfs.ports, nfs.exec('ls /export') ...
 *     await nfs.stop();
 */
export { startGanesha } from './start-ganesha.js';
export { attachGanesha, StartedGanesha } from './started-ganesha.js';
export {
  LABELS, type ExecResult, type GaneshaLogLevel, type GaneshaNetwork, type GaneshaOptions, type GaneshaPorts,
} from './ganesha-types.js';
export { EngineUnavailableError, GaneshaStartError, ImageBuildError, MissingDependencyError, PortInUseError } from './errors.js';
export { requireEngine } from './engine.js';
export { contextHash, ensureGaneshaImage, GANESHA_IMAGE_REPOSITORY, ganeshaImageTag } from './image.js';
export { reapOrphans } from './owner.js';
export { ganeshaContextDir, packageRoot } from './package-root.js';
export { pickFreePort, releasePorts } from './ports.js';
export { nfsUrl } from './url.js';
export { RO_ENTRIES, RO_MTIME, RO_PATTERN_SIZE, roPattern, type RoEntry } from './ro-content.js';

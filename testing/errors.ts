/**
 * Errors of the sonfs/testing fixture. Each carries a stable `code` and a message that says what
 * went wrong and what to do about it; start failures include the tail of the container's log.
 */

/** No Docker engine answers. */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
  readonly code = 'SONFS_NO_ENGINE';
}

/** The ganesha image could not be built. `output` holds the tail of the build log. */
export class ImageBuildError extends Error {
  override readonly name = 'ImageBuildError';
  readonly code = 'SONFS_IMAGE_BUILD';
  constructor(message: string, readonly output: string) {
    super(output ? `${message}\n--- last lines of the build output ---\n${output}` : message);
  }
}

/** A port the server needs is already taken on this host. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly code = 'SONFS_PORT_IN_USE';
  constructor(message: string, readonly port: number, readonly protocol: 'tcp' | 'udp') {
    super(message);
  }
}

/**
 * The server did not become ready: the container exited (bad configuration, missing capability,
 * port taken) or the startup timeout passed. `logTail` is the end of the container's log.
 */
export class GaneshaStartError extends Error {
  override readonly name = 'GaneshaStartError';
  readonly code = 'SONFS_GANESHA_START';
  constructor(reason: string, readonly logTail: string, readonly exitCode?: number) {
    super(`nfs-ganesha container failed to start: ${reason}` +
      (logTail ? `\n--- last lines of the container log ---\n${logTail}` : '\n(the container wrote no log)'));
  }
}

/**
 * testcontainers, the optional peer dependency sonfs/testing and `sonfs demo` run on, is not
 * installed where this package can import it.
 */
export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';
  readonly code = 'SONFS_MISSING_DEPENDENCY';
}

/*
 * Buffers the kernel copies into at full speed.
 *
 * glibc serves a large malloc (Node's Buffer storage, 1 MiB blocks) from pages of its own with the
 * data 16 bytes past a page boundary. When the kernel copies page-aligned data (the page cache,
 * for `pread` of a local file) into a destination 16 bytes off, this project's machines (AMD EPYC)
 * run the copy 4-6x slower than at any other offset — 4K aliasing between the copy's loads and
 * stores: `pread` of a 1 GiB file into 1 MiB buffers took 0.45-0.74 s at that offset, 0.11-0.12 s
 * at the others (dd's page-aligned buffer included). Placing the data 4080 bytes into the
 * allocation puts it on a page boundary in that case, and at an arbitrary offset when the
 * allocation came from the heap instead; either copies at full speed.
 */

/** An uninitialised Buffer of `size` bytes, for data a `read` syscall fills (see above). */
export function readTarget(size: number): Buffer {
  return Buffer.allocUnsafeSlow(size + 4096).subarray(4080, 4080 + size);
}

/**
 * What the read-only export /ro holds at every start (built by servers/ganesha/seed-ro.sh; keep the
 * two in step). Owner 0:0; files 0644, directories 0755; every mtime is RO_MTIME.
 */
export const RO_MTIME = new Date('2020-01-01T00:00:00Z');

export type RoEntry =
  | { path: string; type: 'file'; size: number; content?: string }
  | { path: string; type: 'directory' }
  | { path: string; type: 'symlink'; target: string };

/** Every entry below /ro, paths relative to the export root. */
export const RO_ENTRIES: readonly RoEntry[] = [
  { path: 'hello.txt', type: 'file', size: 17, content: 'hello from sonfs\n' },
  { path: 'empty', type: 'file', size: 0, content: '' },
  { path: 'pattern.bin', type: 'file', size: 1_048_576 },
  { path: 'link-to-hello', type: 'symlink', target: 'hello.txt' },
  { path: 'dangling-link', type: 'symlink', target: 'does-not-exist' },
  { path: 'dir', type: 'directory' },
  { path: 'dir/one.txt', type: 'file', size: 4, content: 'one\n' },
  { path: 'dir/nested', type: 'directory' },
  { path: 'dir/nested/two.txt', type: 'file', size: 4, content: 'two\n' },
];

/** Size of /ro/pattern.bin. */
export const RO_PATTERN_SIZE = 1_048_576;

/**
 * The bytes of /ro/pattern.bin from `offset`, `length` of them (clipped at the end of the file):
 * the byte at offset i is i % 251, so any misplaced or repeated block is visible.
 */
export function roPattern(offset = 0, length = RO_PATTERN_SIZE - offset): Buffer {
  const end = Math.min(RO_PATTERN_SIZE, offset + Math.max(0, length));
  const out = Buffer.allocUnsafe(Math.max(0, end - offset));
  for (let i = 0; i < out.length; i++) out[i] = (offset + i) % 251;
  return out;
}

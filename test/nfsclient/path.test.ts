import { describe, expect, it } from 'vitest';
import { PathError, components, normalizePath, splitParent } from '../../nfsclient/path.js';

describe('remote paths', () => {
  it('never lets ".." climb above the mount root', () => {
    expect(normalizePath('/../../etc/passwd')).toBe('/etc/passwd');
    expect(normalizePath('a/../../..')).toBe('/');
    expect(normalizePath('//a///b/./c/')).toBe('/a/b/c');
  });

  it('keeps ".." as a component for the resolver and drops "." and empty components', () => {
    expect(components('/a/./b//../c')).toEqual(['a', 'b', '..', 'c']);
  });

  it('rejects NUL bytes and over-long components', () => {
    expect(() => components('/a\0b')).toThrow(PathError);
    expect(() => components('/' + 'x'.repeat(256))).toThrow(/longer than 255/);
  });

  it('splits a path into its parent and last name; the root has no name', () => {
    expect(splitParent('/a/b/c')).toEqual({ parent: ['a', 'b'], name: 'c' });
    expect(splitParent('/')).toBeNull();
  });
});

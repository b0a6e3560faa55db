/*
 * The node table: node IDs for (parent, name) pairs, one node per file however many names it
 * has, paths that follow renames, lookup counting and forgetting.
 */
import { describe, expect, it } from 'vitest';
import { InodeTable } from '../../fuse/inodes.js';
import { FUSE_ROOT_ID, S_IFDIR, S_IFREG } from '../../fuse/kernel.js';

describe('InodeTable', () => {
  it('the root is node 1, at the path it was given, and never forgotten', () => {
    const t = new InodeTable('1:1', S_IFDIR, '/sub/dir');
    expect(t.root.nodeid).toBe(FUSE_ROOT_ID);
    expect(t.path(t.root)).toBe('/sub/dir');
    t.forget(FUSE_ROOT_ID, 100);
    expect(t.get(FUSE_ROOT_ID)).toBe(t.root);
  });

  it('a name gets a node; the same file found by another name (a hard link) is the same node', () => {
    const t = new InodeTable('1:1', S_IFDIR);
    const d = t.enter(t.root, 'd', '1:2', S_IFDIR);
    const f = t.enter(d, 'f', '1:3', S_IFREG);
    expect(t.path(f)).toBe('/d/f');
    expect(f.ino).toBe(3n);
    const g = t.enter(t.root, 'g', '1:3', S_IFREG);
    expect(g).toBe(f);
    expect(f.links.map((l) => l.name)).toEqual(['f', 'g']);
    t.unlink(d, 'f');
    expect(t.path(f)).toBe('/g'); /* the other name still leads to it */
    t.unlink(t.root, 'g');
    expect(t.path(f)).toBeNull();
  });

  it('node IDs are never reused; a reused fileid of another type is a new node', () => {
    const t = new InodeTable('1:1', S_IFDIR);
    const a = t.enter(t.root, 'a', '1:5', S_IFREG);
    t.counted(a);
    t.forget(a.nodeid, 1);
    expect(t.get(a.nodeid)).toBeUndefined();
    const b = t.enter(t.root, 'a', '1:5', S_IFREG);
    expect(b.nodeid).toBeGreaterThan(a.nodeid);
    const c = t.enter(t.root, 'a', '1:5', S_IFDIR);
    expect(c).not.toBe(b);
    expect(t.path(b)).toBeNull();
  });

  it('lookups are counted only when the kernel took the entry; forget takes them back', () => {
    const t = new InodeTable('1:1', S_IFDIR);
    const a = t.enter(t.root, 'a', '1:5', S_IFREG);
    t.dropIfUnused(a); /* the kernel did not take it */
    expect(t.get(a.nodeid)).toBeUndefined();
    const b = t.enter(t.root, 'b', '1:6', S_IFREG);
    t.counted(b, 3);
    t.forget(b.nodeid, 2);
    expect(t.get(b.nodeid)).toBe(b);
    t.opened(b);
    t.forget(b.nodeid, 1);
    expect(t.get(b.nodeid)).toBe(b); /* held open */
    t.closed(b);
    expect(t.get(b.nodeid)).toBeUndefined();
    expect(t.size).toBe(1);
  });

  it('renaming a directory moves every path below it; renaming over a name replaces what it named', () => {
    const t = new InodeTable('1:1', S_IFDIR);
    const d = t.enter(t.root, 'd', '1:2', S_IFDIR);
    const e = t.enter(d, 'e', '1:3', S_IFDIR);
    const f = t.enter(e, 'f', '1:4', S_IFREG);
    const x = t.enter(t.root, 'x', '1:5', S_IFREG);
    t.rename(t.root, 'd', t.root, 'renamed');
    expect(t.path(f)).toBe('/renamed/e/f');
    t.rename(e, 'f', t.root, 'x');
    expect(t.path(f)).toBe('/x');
    expect(t.path(x)).toBeNull();
    expect(t.child(t.root, 'x')).toBe(f);
    expect(t.child(e, 'f')).toBeUndefined();
    t.rename(t.root, 'x', t.root, 'x'); /* onto itself: nothing changes */
    expect(t.path(f)).toBe('/x');
  });
});

import { describe, expect, it } from 'vitest';
import { MountOptionError, mountOptions, parseNfsUrl } from '../../nfsclient/options.js';

describe('nfs:// URLs and mount options', () => {
  it('parses libnfs-style URLs with nfsport, mountport and version', () => {
    const u = parseNfsUrl('nfs://127.0.0.1/export?nfsport=2049&mountport=20048&version=3');
    expect(u.host).toBe('127.0.0.1');
    expect(u.path).toBe('/export');
    expect(u.options.nfsport).toBe(2049);
    expect(u.options.mountport).toBe(20048);
    expect(u.options.version).toBe(3);
  });

  it('accepts the nfs(5) vocabulary: proto, soft, actimeo, lookupcache, noac, readonly', () => {
    const o = parseNfsUrl('nfs://h/e?proto=udp&soft&timeo=5&retrans=3&actimeo=7&lookupcache=pos&noac&readonly').options;
    expect(o.proto).toBe('udp');
    expect(o.mountproto).toBe('udp');
    expect(o.soft).toBe(true);
    expect(o.timeo).toBe(5);
    expect(o.retrans).toBe(3);
    expect([o.acregmin, o.acregmax, o.acdirmin, o.acdirmax]).toEqual([7, 7, 7, 7]);
    expect(o.lookupcache).toBe('pos');
    expect(o.noac).toBe(true);
    expect(o.readonly).toBe(true);
  });

  it('decodes %-escapes in the path and takes the authority port as nfsport', () => {
    const u = parseNfsUrl('nfs://server:3049/my%20export');
    expect(u.path).toBe('/my export');
    expect(u.options.nfsport).toBe(3049);
  });

  it('parses uid, gid and a group list', () => {
    const o = parseNfsUrl('nfs://h/e?uid=1000&gid=100&groups=4,24,27').options;
    expect([o.uid, o.gid, o.groups]).toEqual([1000, 100, [4, 24, 27]]);
  });

  it('rejects an unknown option by name instead of ignoring it', () => {
    expect(() => parseNfsUrl('nfs://h/e?acregmaxx=3')).toThrow(/unknown option 'acregmaxx'/);
  });

  it('rejects NFSv4 with a clear message', () => {
    expect(() => parseNfsUrl('nfs://h/e?version=4')).toThrow(/NFSv4 is not implemented/);
  });

  it('rejects malformed values and schemes', () => {
    expect(() => parseNfsUrl('nfs://h/e?nfsport=70000')).toThrow(MountOptionError);
    expect(() => parseNfsUrl('nfs://h/e?timeo=-1')).toThrow(/non-negative integer/);
    expect(() => parseNfsUrl('http://h/e')).toThrow(/nfs:\/\//);
    expect(() => parseNfsUrl('nfs:///e')).toThrow(/no server/);
    expect(() => parseNfsUrl('nfs://h/e?groups=' + Array.from({ length: 17 }, (_, i) => i).join(','))).toThrow(/at most 16/);
  });

  it('validates options given in code the same way', () => {
    expect(mountOptions({ host: 'h', export: '/e', proto: 'udp' }).mountproto).toBe('udp');
    expect(() => mountOptions({ host: 'h', export: 'relative' })).toThrow(/absolute/);
    expect(() => mountOptions({ host: 'h', export: '/e', nfsport: 1.5 })).toThrow(MountOptionError);
  });

  it('defaults timeo and retrans by transport as nfs(5): 600 and 2 over TCP, 11 and 3 over UDP; explicit values stay', () => {
    expect(parseNfsUrl('nfs://h/e').options).toMatchObject({ timeo: 600, retrans: 2 });
    expect(parseNfsUrl('nfs://h/e?proto=udp').options).toMatchObject({ timeo: 11, retrans: 3 });
    expect(parseNfsUrl('nfs://h/e?udp').options).toMatchObject({ timeo: 11, retrans: 3 });
    expect(parseNfsUrl('nfs://h/e?proto=udp&timeo=50').options).toMatchObject({ timeo: 50, retrans: 3 });
    expect(parseNfsUrl('nfs://h/e?proto=udp', { retrans: 7 }).options).toMatchObject({ timeo: 11, retrans: 7 });
    expect(mountOptions({ host: 'h', export: '/e', proto: 'udp' })).toMatchObject({ timeo: 11, retrans: 3 });
    expect(mountOptions({ host: 'h', export: '/e', proto: 'udp', timeo: 600 })).toMatchObject({ timeo: 600, retrans: 3 });
    expect(mountOptions({ host: 'h', export: '/e' })).toMatchObject({ timeo: 600, retrans: 2 });
  });
});

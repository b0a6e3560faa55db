/*
 * sonfs ls -R against the scripted fake server: listings fetched ahead and answered out of order
 * still print depth first, each under its header, and a directory that cannot be listed is
 * reported where its block would be (exit 1) while the rest is listed.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { NF3DIR, NF3REG } from '../../nfsclient/nfs3/constants.js';
import { NFS3ERR_ACCES } from '../../nfsclient/nfs3/nfsstat3.js';
import { FakeNfs } from '../nfsclient/helpers/fake-nfs.js';
import { run } from './helpers.js';

const fakes: FakeNfs[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe('sonfs ls -R', () => {
  test('prints depth first whatever order the listings complete in; an unreadable directory is reported in place', async () => {
    const fake = await FakeNfs.start('tcp');
    fakes.push(fake);
    /* /x: a/ (a1/ (deep), a2), b, c/ (unreadable), d/ (e/) */
    const a = fake.add('a', NF3DIR);
    const a1 = fake.add('a1', NF3DIR, { parent: a.id });
    fake.add('deep', NF3REG, { parent: a1.id });
    fake.add('a2', NF3REG, { parent: a.id });
    fake.add('b', NF3REG);
    const c = fake.add('c', NF3DIR);
    fake.add('hidden', NF3REG, { parent: c.id });
    const d = fake.add('d', NF3DIR);
    fake.add('e', NF3DIR, { parent: d.id });
    /* Later directories answer first: a and its subdirectories are the slowest. */
    const delay = new Map([[a.id, 120], [a1.id, 80], [d.id, 0]]);
    fake.on('READDIRPLUS', (call) => {
      const dir = fake.node(call.args.dir);
      if (dir?.id === c.id) {
        call.reply({ status: NFS3ERR_ACCES, resfail: { dir_attributes: null } });
        return;
      }
      setTimeout(() => call.defaultReply(), delay.get(dir?.id ?? -1) ?? 20);
    });
    const o = fake.options();
    const url = `nfs://127.0.0.1/x?nfsport=${String(o.nfsport)}&mountport=${String(o.mountport)}&version=3&uid=0&gid=0`;
    const r = await run(['ls', '-R', url]);
    expect(r.stdout).toBe([
      '/x:', 'a', 'b', 'c', 'd', '',
      '/x/a:', 'a1', 'a2', '',
      '/x/a/a1:', 'deep', '',
      '/x/c:', '',
      '/x/d:', 'e', '',
      '/x/d/e:', '',
    ].join('\n'));
    expect(r.stderr).toContain("cannot open directory '/x/c'");
    expect(r.code).toBe(1);
  });
});

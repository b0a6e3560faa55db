/*
 * The package as a user gets it: `npm pack`, then `npm install <tarball>` in an empty project.
 *
 * - The tarball holds the library (compiled, with .d.ts), one CLI bundle, LICENSE, README, docs/
 *   and the server files — no bench, no examples, no second CLI tree, no source maps.
 * - Installing it brings only the runtime dependencies (lru-cache, protobufjs and theirs);
 *   testcontainers is an optional peer dependency.
 * - The README's client example, copied from README.md as it stands, runs against the suite's
 *   server (which listens where the example says: 127.0.0.1, NFS 2049, MOUNT 20048).
 * - Without testcontainers, sonfs/testing still imports, and starting a server (or `sonfs demo`)
 *   fails with a message that names the missing package and how to install it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let project: string;
let tarball: string;
let files: string[];

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'sonfs-install-'));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', project], ROOT)) as { filename: string; files: { path: string }[] }[];
  tarball = join(project, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'sonfs-user', version: '1.0.0', type: 'module', private: true }));
  npm(['install', tarball, '--no-audit', '--no-fund'], project);
}, 240_000);

afterAll(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the library with its types, one CLI bundle, LICENSE, README and docs, and nothing else', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/cli/sonfs.js', 'dist/nfsclient/index.js', 'dist/nfsclient/index.d.ts',
      'dist/sockets/index.d.ts', 'dist/rpc/index.d.ts', 'dist/testing/index.d.ts', 'dist/trace/index.d.ts', 'docs/nfsclient.md',
      'servers/ganesha/Dockerfile', 'docker-compose.yml', 'trace/sonfs-trace.proto', 'scripts/prepare.sh']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^dist\/(bench|examples)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/cli/'))).toEqual(['dist/cli/sonfs.js']);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('node_modules/'))).toEqual([]);
    /* Every README link into docs/ resolves inside the package. */
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [, link] of readme.matchAll(/\]\((docs\/[^)#]+)/g)) expect(files, `README links ${link}`).toContain(link);
  });

  it('installs with its runtime dependencies only: no testcontainers, at most 10 packages', () => {
    const installed = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'))
      .flatMap((n) => (n.startsWith('@') ? readdirSync(join(project, 'node_modules', n)).map((m) => `${n}/${m}`) : [n]));
    expect(installed).toContain('sonfs');
    expect(installed).not.toContain('testcontainers');
    expect(installed.filter((n) => n !== 'sonfs').length).toBeLessThanOrEqual(10);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'sonfs', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['peerDependenciesMeta']).toEqual({ testcontainers: { optional: true } });
    expect(manifest['repository']).toBeDefined();
  });

  it("runs the README's client example, as README.md has it, against the suite's server", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /## Using the NFS client\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain("import { mount } from 'sonfs';");
    writeFileSync(join(project, 'example.mjs'), example!);
    const r = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^hello\n/);
    expect(r.stdout).toMatch(/^a\.txt false$/m);
  });

  it('the sonfs command runs from the install', () => {
    const r = spawnSync(join(project, 'node_modules', '.bin', 'sonfs'), ['--help'], { cwd: project, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sonfs/);
  });

  it('without testcontainers, sonfs/testing imports, and starting a server says what to install', () => {
    const program = `
      const t = await import('sonfs/testing');
      try {
        await t.startGanesha();
        console.log('started?');
      } catch (e) {
        console.log(e.name + ': ' + e.message);
      }
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^MissingDependencyError: .*testcontainers.*npm install --save-dev testcontainers@'\^11/);
    const demo = spawnSync(join(project, 'node_modules', '.bin', 'sonfs'), ['demo'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(demo.status).toBe(1);
    expect(demo.stderr).toMatch(/testcontainers.*npm install --save-dev testcontainers/);
  });
});

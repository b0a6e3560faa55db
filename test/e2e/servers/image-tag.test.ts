import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { contextHash, ganeshaContextDir, ganeshaImageTag, packageRoot } from '../../../testing/index.js';

describe('the ganesha image tag', () => {
  test('is the same content hash in the fixture and in scripts/ensure-ganesha-image.sh', () => {
    const script = join(packageRoot(), 'scripts', 'ensure-ganesha-image.sh');
    const fromScript = execFileSync('bash', [script, '--print-tag'], { encoding: 'utf8' }).trim();
    expect(fromScript).toBe(ganeshaImageTag());
    expect(fromScript).toMatch(/^localhost\/sonfs-ganesha:[0-9a-f]{16}$/);
  });

  test('changes when any file of servers/ganesha changes, and only then', () => {
    const copy = mkdtempSync(join(tmpdir(), 'sonfs-context-'));
    try {
      cpSync(ganeshaContextDir(), copy, { recursive: true });
      const original = contextHash(copy);
      expect(contextHash(copy)).toBe(original);
      writeFileSync(join(copy, 'render-config.sh'), '# edited\n', { flag: 'a' });
      expect(contextHash(copy)).not.toBe(original);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRuntimeClient } from 'testcontainers';
import { ImageBuildError } from './errors.js';
import { ganeshaContextDir } from './package-root.js';

/** Repository part of the locally built server image; the tag is the content hash of its context. */
export const GANESHA_IMAGE_REPOSITORY = 'localhost/sonfs-ganesha';

const BUILD_TIMEOUT_MS = 15 * 60_000;

/**
 * The content hash of a build context: over the regular files below `dir`, in byte order of their
 * relative paths, sha256 of `path NUL sha256hex(content) LF` each, as 16 hex digits.
 * scripts/ensure-ganesha-image.sh computes the same value in bash; keep the two in step (a test
 * compares them).
 */
export function contextHash(dir: string): string {
  const outer = createHash('sha256');
  for (const rel of listFiles(dir).sort(byteOrder)) {
    const inner = createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex');
    outer.update(`${rel}\0${inner}\n`);
  }
  return outer.digest('hex').slice(0, 16);
}

/** `localhost/sonfs-ganesha:<content hash of servers/ganesha>`: an edited config gets a new tag. */
export function ganeshaImageTag(): string {
  return `${GANESHA_IMAGE_REPOSITORY}:${contextHash(ganeshaContextDir())}`;
}

const builds = new Map<string, Promise<string>>();

/**
 * Make sure the server image for the current servers/ganesha exists, building it if not (about
 * 15 s with a warm apt mirror; at most 15 min). Images are kept between runs and shared by
 * every process: a second call, here or elsewhere, finds the tag and returns at once. Throws
 * ImageBuildError with the tail of the build output when the build fails.
 */
export function ensureGaneshaImage(client: ContainerRuntimeClient): Promise<string> {
  const tag = ganeshaImageTag();
  let pending = builds.get(tag);
  if (pending === undefined) {
    pending = buildIfMissing(client, tag);
    builds.set(tag, pending);
    pending.catch(() => builds.delete(tag));
  }
  return pending;
}

async function buildIfMissing(client: ContainerRuntimeClient, tag: string): Promise<string> {
  const docker = client.container.dockerode;
  if (await imageExists(client, tag)) return tag;
  const context = ganeshaContextDir();
  const output: string[] = [];
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage({ context, src: listFiles(context) }, {
      t: tag,
      labels: { 'sonfs.image': 'ganesha' },
      forcerm: true,
    });
  } catch (err) {
    throw new ImageBuildError(`docker could not start building ${tag} from ${context}: ${messageOf(err)}`, '');
  }
  const failure = await readBuildStream(stream, output, BUILD_TIMEOUT_MS);
  const tail = output.join('').split('\n').filter((l) => l.trim() !== '').slice(-25).join('\n');
  if (failure !== undefined || !(await imageExists(client, tag))) {
    throw new ImageBuildError(
      `building ${tag} from ${context} failed: ${failure ?? 'no image was produced'}. ` +
      'Where no registry is reachable, the base image debian:bookworm-slim must be built locally first: ' +
      'run `bash scripts/prepare.sh`.', tail);
  }
  await pruneOtherTags(client, tag);
  return tag;
}

/**
 * Removes images of earlier versions of servers/ganesha (other tags of the repository), so edits do
 * not pile up images. An image a container still uses is kept (Docker refuses without force).
 */
async function pruneOtherTags(client: ContainerRuntimeClient, keep: string): Promise<void> {
  const docker = client.container.dockerode;
  try {
    const images = await docker.listImages({ filters: { reference: [GANESHA_IMAGE_REPOSITORY] } });
    for (const image of images) {
      for (const other of image.RepoTags ?? []) {
        if (other === keep || !other.startsWith(`${GANESHA_IMAGE_REPOSITORY}:`)) continue;
        await docker.getImage(other).remove().catch(() => undefined);
      }
    }
  } catch {
    // Pruning is housekeeping: never fail a start over it.
  }
}

/** Reads the daemon's JSON build messages; resolves with the first error message, or undefined. */
function readBuildStream(stream: NodeJS.ReadableStream, output: string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let pending = '';
    let error: string | undefined;
    const timer = setTimeout(() => {
      finish(`no result within ${timeoutMs / 60_000} min`);
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    }, timeoutMs);
    const finish = (result: string | undefined) => {
      clearTimeout(timer);
      resolve(result);
    };
    stream.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line === '') continue;
        try {
          const msg = JSON.parse(line) as { stream?: unknown; error?: unknown };
          if (typeof msg.stream === 'string') output.push(msg.stream);
          if (typeof msg.error === 'string') {
            output.push(`${msg.error}\n`);
            error ??= msg.error;
          }
        } catch {
          output.push(`${line}\n`);
        }
      }
      if (output.length > 400) output.splice(0, output.length - 200);
    });
    stream.on('error', (err: Error) => finish(err.message));
    stream.on('end', () => finish(error));
  });
}

async function imageExists(client: ContainerRuntimeClient, tag: string): Promise<boolean> {
  try {
    await client.container.dockerode.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, rel));
    else if (entry.isFile()) files.push(rel);
  }
  return files;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

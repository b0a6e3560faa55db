/*
 * A scripted MOUNT v3 + NFSv3 server on 127.0.0.1, over the rpc tests' FakeRpcServer, for what a
 * real server cannot be made to do on demand: JUKEBOX, BAD_COOKIE, TOOSMALL, READDIRPLUS NOTSUPP,
 * changing write verifiers, short WRITE counts, lost replies, missing post-op handles.
 *
 * It serves a small in-memory tree under the export "/x" (MOUNT and NFS on the same port, TCP or
 * UDP). Every procedure has a default implementation; a test replaces or wraps one with
 * `fake.on(name, handler)`. A handler gets the decoded arguments and answers with `reply(res)`
 * (a result union, encoded with the procedure's codec), `defaultReply()`, or nothing (the reply
 * is lost).
 */
import { fattr3 } from '../../../nfsclient/nfs3/attr.js';
import { NF3DIR, NF3LNK, NF3REG, FILE_SYNC, UNSTABLE } from '../../../nfsclient/nfs3/constants.js';
import type { ftype3 } from '../../../nfsclient/nfs3/constants.js';
import {
  NFS3ERR_EXIST, NFS3ERR_ISDIR, NFS3ERR_NOENT, NFS3ERR_NOTDIR, NFS3ERR_NOTEMPTY, NFS3ERR_STALE, NFS3_OK,
} from '../../../nfsclient/nfs3/nfsstat3.js';
import { NFS3_PROCEDURE_BY_NUMBER } from '../../../nfsclient/nfs3/procs.js';
import type { Nfs3ProcedureName } from '../../../nfsclient/nfs3/procs.js';
import { MOUNT3_PROCEDURE_BY_NUMBER } from '../../../nfsclient/mount3/procs.js';
import { MNT3ERR_NOENT, MNT3_OK } from '../../../nfsclient/mount3/mountstat3.js';
import type { Nfs3Args, Nfs3Res } from '../../../nfsclient/raw/nfs3.js';
import { XdrReader } from '../../../rpc/xdr/reader.js';
import { XdrWriter } from '../../../rpc/xdr/writer.js';
import type { XdrCodec } from '../../../rpc/xdr/codec.js';
import { m_tobuf } from '../../../sockets/mbuf.js';
import { FakeRpcServer } from '../../rpc/helpers/fake-rpc-server.js';
import type { FakeCall } from '../../rpc/helpers/fake-rpc-server.js';

export interface FakeNode {
  id: number;
  type: ftype3;
  mode: number;
  data: Buffer;
  children: Map<string, number>;
  target: string;
  /** Bumped at every change: the node's mtime/ctime seconds. */
  version: number;
}

export interface HandlerContext<K extends Nfs3ProcedureName> {
  args: Nfs3Args<K>;
  call: FakeCall;
  /** How many calls of this procedure came before this one (retransmissions included). */
  count: number;
  reply(res: Nfs3Res<K>): void;
  /** Run the default implementation and send its reply. */
  defaultReply(): void;
  /** The default implementation's result, without sending it. */
  defaultResult(): Nfs3Res<K>;
}

type Handler<K extends Nfs3ProcedureName> = (ctx: HandlerContext<K>) => void;

const EXPORT = '/x';

function encode<T>(codec: XdrCodec<T>, v: T): Buffer {
  const w = new XdrWriter();
  codec.encode(w, v);
  return Buffer.from(m_tobuf(w.finish()));
}

export class FakeNfs {
  readonly nodes = new Map<number, FakeNode>();
  readonly rootId = 1;
  /** The verifier WRITE and COMMIT answer with (tests change it to play a server restart). */
  writeVerf = Buffer.from('verf0001');
  /** The cookie verifier READDIR answers with. */
  cookieVerf = Buffer.from('cookie01');
  /** The auth flavors MNT offers. */
  flavors = [1];
  /** READDIR(PLUS) entries per page. */
  pageSize = 3;
  /** Procedure names received, in order. */
  readonly log: string[] = [];
  readonly #handlers = new Map<string, Handler<Nfs3ProcedureName>>();
  readonly #counts = new Map<string, number>();
  #nextId = 2;

  private constructor(readonly rpc: FakeRpcServer) {
    this.nodes.set(1, { id: 1, type: NF3DIR, mode: 0o777, data: Buffer.alloc(0), children: new Map(), target: '', version: 1 });
  }

  static async start(proto: 'tcp' | 'udp' = 'tcp'): Promise<FakeNfs> {
    let fake: FakeNfs | undefined;
    const script = (call: FakeCall): void => fake!.#dispatch(call);
    const rpc = proto === 'tcp' ? await FakeRpcServer.tcp(script) : await FakeRpcServer.udp(script);
    fake = new FakeNfs(rpc);
    return fake;
  }

  /** Mount options for this server (soft, quick timeouts unless overridden). */
  options(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      host: '127.0.0.1', export: EXPORT, nfsport: this.rpc.port, mountport: this.rpc.port, proto: this.rpc.proto,
      uid: 0, gid: 0, timeo: 10, retrans: 3, ...extra,
    };
  }

  /** Replace a procedure's implementation. */
  on<K extends Nfs3ProcedureName>(name: K, handler: Handler<K>): void {
    this.#handlers.set(name, handler as unknown as Handler<Nfs3ProcedureName>);
  }

  count(name: string): number {
    return this.#counts.get(name) ?? 0;
  }

  close(): Promise<void> {
    return this.rpc.close();
  }

  /* ---------------- the tree ---------------- */

  fh(id: number): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(0xfa4e, 0);
    b.writeUInt32BE(id, 4);
    return b;
  }

  node(fh: Buffer): FakeNode | undefined {
    if (fh.length !== 8 || fh.readUInt32BE(0) !== 0xfa4e) return undefined;
    return this.nodes.get(fh.readUInt32BE(4));
  }

  /** Add a node under a directory (root by default). */
  add(name: string, type: ftype3, opts: { data?: Buffer; target?: string; parent?: number; mode?: number } = {}): FakeNode {
    const n: FakeNode = {
      id: this.#nextId++, type, mode: opts.mode ?? (type === NF3DIR ? 0o755 : 0o644), data: opts.data ?? Buffer.alloc(0),
      children: new Map(), target: opts.target ?? '', version: 1,
    };
    this.nodes.set(n.id, n);
    const parent = this.nodes.get(opts.parent ?? this.rootId)!;
    parent.children.set(name, n.id);
    parent.version++;
    return n;
  }

  attrs(n: FakeNode): fattr3 {
    const t = { seconds: 1_700_000_000 + n.version, nseconds: 0 };
    return {
      type: n.type, mode: n.mode, nlink: 1, uid: 0, gid: 0, size: BigInt(n.type === NF3DIR ? 4096 : n.data.length),
      used: BigInt(n.data.length), rdev: { specdata1: 0, specdata2: 0 }, fsid: 1n, fileid: BigInt(n.id),
      atime: t, mtime: t, ctime: t,
    };
  }

  #wcc(n: FakeNode | undefined, before: fattr3 | null) {
    return {
      before: before === null ? null : { size: before.size, mtime: before.mtime, ctime: before.ctime },
      after: n === undefined ? null : this.attrs(n),
    };
  }

  /* ---------------- dispatch ---------------- */

  #dispatch(call: FakeCall): void {
    if (call.prog === 100005) {
      this.#mount(call);
      return;
    }
    if (call.prog !== 100003 || call.vers !== 3) return;
    const p = NFS3_PROCEDURE_BY_NUMBER[call.proc];
    if (p === undefined) return;
    const name = p.name.replace('NFSPROC3_', '') as Nfs3ProcedureName;
    this.log.push(name);
    const count = this.count(name);
    this.#counts.set(name, count + 1);
    const args = p.args.decode(XdrReader.fromBuffer(call.args)) as Nfs3Args<Nfs3ProcedureName>;
    const send = (res: unknown): void => this.rpc.reply(call, encode(p.res as XdrCodec<unknown>, res));
    const ctx: HandlerContext<Nfs3ProcedureName> = {
      args, call, count,
      reply: send,
      defaultResult: () => this.#default(name, args) as Nfs3Res<Nfs3ProcedureName>,
      defaultReply: () => send(this.#default(name, args)),
    };
    const h = this.#handlers.get(name);
    if (h !== undefined) h(ctx);
    else ctx.defaultReply();
  }

  #mount(call: FakeCall): void {
    const p = MOUNT3_PROCEDURE_BY_NUMBER[call.proc];
    if (p === undefined) return;
    this.log.push(p.name);
    if (p.name === 'MOUNTPROC3_MNT') {
      const path = p.args.decode(XdrReader.fromBuffer(call.args)) as string;
      const res = path === EXPORT
        ? { fhs_status: MNT3_OK, mountinfo: { fhandle: this.fh(this.rootId), auth_flavors: this.flavors } }
        : { fhs_status: MNT3ERR_NOENT };
      this.rpc.reply(call, encode(p.res as XdrCodec<unknown>, res));
    } else if (p.name === 'MOUNTPROC3_EXPORT') {
      this.rpc.reply(call, encode(p.res as XdrCodec<unknown>, [{ ex_dir: EXPORT, ex_groups: [] }]));
    } else {
      this.rpc.reply(call, Buffer.alloc(0));
    }
  }

  /* The default implementations: a small, honest NFSv3 server. */
  #default(name: Nfs3ProcedureName, a: unknown): unknown {
    const stale = { status: NFS3ERR_STALE };
    switch (name) {
      case 'NULL': return undefined;
      case 'GETATTR': {
        const n = this.node((a as Nfs3Args<'GETATTR'>).object);
        return n ? { status: NFS3_OK, resok: { obj_attributes: this.attrs(n) } } : { ...stale, resfail: undefined };
      }
      case 'SETATTR': {
        const args = a as Nfs3Args<'SETATTR'>;
        const n = this.node(args.object);
        if (!n) return { ...stale, resfail: { obj_wcc: this.#wcc(undefined, null) } };
        const before = this.attrs(n);
        const s = args.new_attributes;
        if (s.mode !== null) n.mode = s.mode;
        if (s.size !== null) {
          const d = Buffer.alloc(Number(s.size));
          n.data.copy(d, 0, 0, Math.min(d.length, n.data.length));
          n.data = d;
        }
        n.version++;
        return { status: NFS3_OK, resok: { obj_wcc: this.#wcc(n, before) } };
      }
      case 'LOOKUP': {
        const { dir, name: nm } = (a as Nfs3Args<'LOOKUP'>).what;
        const d = this.node(dir);
        if (!d) return { ...stale, resfail: { dir_attributes: null } };
        const id = d.children.get(nm);
        if (id === undefined) return { status: NFS3ERR_NOENT, resfail: { dir_attributes: this.attrs(d) } };
        const n = this.nodes.get(id)!;
        return { status: NFS3_OK, resok: { object: this.fh(id), obj_attributes: this.attrs(n), dir_attributes: this.attrs(d) } };
      }
      case 'ACCESS': {
        const args = a as Nfs3Args<'ACCESS'>;
        const n = this.node(args.object);
        return n ? { status: NFS3_OK, resok: { obj_attributes: this.attrs(n), access: args.access } } : { ...stale, resfail: { obj_attributes: null } };
      }
      case 'READLINK': {
        const n = this.node((a as Nfs3Args<'READLINK'>).symlink);
        return n ? { status: NFS3_OK, resok: { symlink_attributes: this.attrs(n), data: n.target } } : { ...stale, resfail: { symlink_attributes: null } };
      }
      case 'READ': {
        const args = a as Nfs3Args<'READ'>;
        const n = this.node(args.file);
        if (!n) return { ...stale, resfail: { file_attributes: null } };
        const off = Number(args.offset);
        const data = n.data.subarray(Math.min(off, n.data.length), Math.min(off + args.count, n.data.length));
        return { status: NFS3_OK, resok: { file_attributes: this.attrs(n), count: data.length, eof: off + data.length >= n.data.length, data } };
      }
      case 'WRITE': {
        const args = a as Nfs3Args<'WRITE'>;
        const n = this.node(args.file);
        if (!n) return { ...stale, resfail: { file_wcc: this.#wcc(undefined, null) } };
        const before = this.attrs(n);
        const end = Number(args.offset) + args.data.length;
        if (end > n.data.length) {
          const d = Buffer.alloc(end);
          n.data.copy(d);
          n.data = d;
        }
        args.data.copy(n.data, Number(args.offset));
        n.version++;
        return {
          status: NFS3_OK,
          resok: { file_wcc: this.#wcc(n, before), count: args.data.length, committed: args.stable === UNSTABLE ? UNSTABLE : FILE_SYNC, verf: this.writeVerf },
        };
      }
      case 'COMMIT': {
        const n = this.node((a as Nfs3Args<'COMMIT'>).file);
        if (!n) return { ...stale, resfail: { file_wcc: this.#wcc(undefined, null) } };
        return { status: NFS3_OK, resok: { file_wcc: this.#wcc(n, this.attrs(n)), verf: this.writeVerf } };
      }
      case 'CREATE': case 'MKDIR': case 'SYMLINK': case 'MKNOD': {
        const args = a as Nfs3Args<'CREATE'> & Nfs3Args<'SYMLINK'>;
        const d = this.node(args.where.dir);
        if (!d) return { ...stale, resfail: { dir_wcc: this.#wcc(undefined, null) } };
        const before = this.attrs(d);
        const existing = d.children.get(args.where.name);
        if (existing !== undefined) {
          if (name === 'CREATE' && (args as Nfs3Args<'CREATE'>).how.mode === 0) {
            const n = this.nodes.get(existing)!;
            return { status: NFS3_OK, resok: { obj: this.fh(existing), obj_attributes: this.attrs(n), dir_wcc: this.#wcc(d, before) } };
          }
          return { status: NFS3ERR_EXIST, resfail: { dir_wcc: this.#wcc(d, before) } };
        }
        const type = name === 'MKDIR' ? NF3DIR : name === 'SYMLINK' ? NF3LNK : NF3REG;
        const n = this.add(args.where.name, type, { parent: d.id, target: name === 'SYMLINK' ? args.symlink.symlink_data : '' });
        return { status: NFS3_OK, resok: { obj: this.fh(n.id), obj_attributes: this.attrs(n), dir_wcc: this.#wcc(d, before) } };
      }
      case 'REMOVE': case 'RMDIR': {
        const { dir, name: nm } = (a as Nfs3Args<'REMOVE'>).object;
        const d = this.node(dir);
        if (!d) return { ...stale, resfail: { dir_wcc: this.#wcc(undefined, null) } };
        const before = this.attrs(d);
        const id = d.children.get(nm);
        if (id === undefined) return { status: NFS3ERR_NOENT, resfail: { dir_wcc: this.#wcc(d, before) } };
        const n = this.nodes.get(id)!;
        if (name === 'REMOVE' && n.type === NF3DIR) return { status: NFS3ERR_ISDIR, resfail: { dir_wcc: this.#wcc(d, before) } };
        if (name === 'RMDIR' && n.type !== NF3DIR) return { status: NFS3ERR_NOTDIR, resfail: { dir_wcc: this.#wcc(d, before) } };
        if (name === 'RMDIR' && n.children.size > 0) return { status: NFS3ERR_NOTEMPTY, resfail: { dir_wcc: this.#wcc(d, before) } };
        d.children.delete(nm);
        d.version++;
        return { status: NFS3_OK, resok: { dir_wcc: this.#wcc(d, before) } };
      }
      case 'RENAME': {
        const args = a as Nfs3Args<'RENAME'>;
        const f = this.node(args.from.dir);
        const t = this.node(args.to.dir);
        const wcc = { fromdir_wcc: this.#wcc(f, null), todir_wcc: this.#wcc(t, null) };
        if (!f || !t) return { ...stale, resfail: wcc };
        const id = f.children.get(args.from.name);
        if (id === undefined) return { status: NFS3ERR_NOENT, resfail: wcc };
        f.children.delete(args.from.name);
        t.children.set(args.to.name, id);
        f.version++;
        t.version++;
        return { status: NFS3_OK, resok: { fromdir_wcc: this.#wcc(f, null), todir_wcc: this.#wcc(t, null) } };
      }
      case 'LINK': {
        const args = a as Nfs3Args<'LINK'>;
        const n = this.node(args.file);
        const d = this.node(args.link.dir);
        if (!n || !d) return { ...stale, resfail: { file_attributes: null, linkdir_wcc: this.#wcc(undefined, null) } };
        if (d.children.has(args.link.name)) return { status: NFS3ERR_EXIST, resfail: { file_attributes: this.attrs(n), linkdir_wcc: this.#wcc(d, null) } };
        d.children.set(args.link.name, n.id);
        d.version++;
        return { status: NFS3_OK, resok: { file_attributes: this.attrs(n), linkdir_wcc: this.#wcc(d, null) } };
      }
      case 'READDIR': case 'READDIRPLUS': {
        const args = a as Nfs3Args<'READDIR'>;
        const d = this.node(args.dir);
        if (!d) return { ...stale, resfail: { dir_attributes: null } };
        const names = [...d.children.keys()];
        const from = Number(args.cookie);
        const page = names.slice(from, from + this.pageSize);
        const entries = page.map((nm, i) => {
          const id = d.children.get(nm)!;
          const base = { fileid: BigInt(id), name: nm, cookie: BigInt(from + i + 1) };
          return name === 'READDIR' ? base
            : { ...base, name_attributes: this.attrs(this.nodes.get(id)!), name_handle: this.fh(id) };
        });
        return {
          status: NFS3_OK,
          resok: { dir_attributes: this.attrs(d), cookieverf: this.cookieVerf, reply: { entries, eof: from + page.length >= names.length } },
        };
      }
      case 'FSSTAT':
        return {
          status: NFS3_OK,
          resok: { obj_attributes: null, tbytes: 1n << 30n, fbytes: 1n << 29n, abytes: 1n << 29n, tfiles: 1000n, ffiles: 900n, afiles: 900n, invarsec: 0 },
        };
      case 'FSINFO':
        return {
          status: NFS3_OK,
          resok: {
            obj_attributes: this.attrs(this.nodes.get(this.rootId)!), rtmax: 65536, rtpref: 32768, rtmult: 4096,
            wtmax: 65536, wtpref: 32768, wtmult: 4096, dtpref: 8192, maxfilesize: (1n << 40n),
            time_delta: { seconds: 0, nseconds: 1 }, properties: 0x1b,
          },
        };
      case 'PATHCONF':
        return {
          status: NFS3_OK,
          resok: { obj_attributes: null, linkmax: 32, name_max: 255, no_trunc: true, chown_restricted: true, case_insensitive: false, case_preserving: true },
        };
    }
    return undefined;
  }
}


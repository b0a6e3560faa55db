/* The registry of subcommands: one file per command under cli/commands/. */
import type { Command } from '../io.js';
import { cat } from './cat.js';
import { cp } from './cp.js';
import { demo } from './demo.js';
import { df } from './df.js';
import { ln } from './ln.js';
import { ls } from './ls.js';
import { mkdir } from './mkdir.js';
import { mv } from './mv.js';
import { rm } from './rm.js';
import { rpcinfo } from './rpcinfo.js';
import { shell } from './shell.js';
import { showmount } from './showmount.js';
import { stat } from './stat.js';
import { trace } from './trace.js';

export const commands: Record<string, Command> = {
  ls,
  cat,
  cp,
  stat,
  mkdir,
  rm,
  mv,
  ln,
  df,
  showmount,
  rpcinfo,
  trace,
  shell,
  demo,
};

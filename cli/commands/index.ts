/* The registry of subcommands: one file per command under cli/commands/. */
import type { Command } from '../io.js';
import { rpcinfo } from './rpcinfo.js';

export const commands: Record<string, Command> = {
  rpcinfo,
};

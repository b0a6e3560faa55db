/*
 * panic(9): the kernel's answer to a state that cannot be: here a thrown Error, which ends the
 * flow that found it (and the process, unless something catches it), with the message as the
 * kernel prints it. Programming errors inside this layer (a double free, a lock released twice)
 * throw the same way; a port keeps its own panic() calls unchanged.
 */

/** panic(9): throws an Error "panic: <msg>". */
export function panic(msg: string): never {
  throw new Error(`panic: ${msg}`);
}

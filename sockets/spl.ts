/*
 * Interrupt priority levels (OpenBSD spl(9)): splsoftnet, splnet, splx and friends.
 *
 * In the kernel, raising the level keeps the network interrupt handlers from running in the
 * middle of a piece of code on the same CPU. Here nothing can run in the middle of synchronous
 * JavaScript: host events and wakeups are handled between statements that await, never inside
 * others, and every so* function is atomic between its own sleeps. So these are documented
 * no-ops, kept so that code written with them ports unchanged: each returns 0 (the "previous
 * level" the code hands back to splx), and splx accepts it.
 */

export const IPL_NONE = 0;
export const IPL_SOFTCLOCK = 1;
export const IPL_SOFTNET = 2;
export const IPL_NET = 5;
export const IPL_HIGH = 15;

/** splsoftnet(9): block soft network interrupts. A no-op here; returns the level to restore. */
export function splsoftnet(): number {
  return IPL_NONE;
}

/** splnet(9): block network interrupts. A no-op here. */
export function splnet(): number {
  return IPL_NONE;
}

/** splsoftclock(9): block soft clock interrupts (timeouts). A no-op here. */
export function splsoftclock(): number {
  return IPL_NONE;
}

/** splhigh(9): block every interrupt. A no-op here. */
export function splhigh(): number {
  return IPL_NONE;
}

/** splx(9): go back to the level `s` an spl call returned. A no-op here. */
export function splx(s: number): void {
  void s;
}

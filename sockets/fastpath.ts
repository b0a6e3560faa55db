/*
 * The fast paths of sosend and soreceive (sosend_fast, soreceive_fast: the common case done
 * without a generator) and the switch that turns them off. Each fast path is its general path
 * restricted to one case, sharing that path's steps (the argument checks, soreceive's take of
 * data, sosend's building of the chain); with the switch off every call runs the general path,
 * which test/sockets/fastpath.property.test.ts uses to run both on the same inputs and compare
 * their results, errnos and socket state. For tests: nothing else changes it.
 */
export const so_fastpath = {
  /** soreceive and soreceive_nowait try soreceive_fast first. */
  rcv: true,
  /** sosend and sosend_nowait try sosend_fast first. */
  snd: true,
};

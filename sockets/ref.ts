/** The C out-parameter (struct socket **, struct mbuf **, int *): the callee sets `value`. */
export type Ref<T> = { value: T };

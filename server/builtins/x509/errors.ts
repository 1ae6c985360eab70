/** A failure worded as Go words it; the builtin prefixes its own name. */
export class GoError extends Error {}

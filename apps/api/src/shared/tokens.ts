/** Injection tokens of the shell. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CONFIG = Symbol('CONFIG');

/** Helpers for the worker threads of the store and the importer: no domain, no store, no I/O beyond the OS's scheduling. */
export * from './background-thread';

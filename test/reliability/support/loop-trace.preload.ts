// Preloaded into a server child when QUANZE_LOOP_TRACE names a file (test/reliability/support/loop-trace.ts).
import { startLoopTrace } from './loop-trace';
import { isMainThread } from 'node:worker_threads';

// the main thread only: workers load the same preload (execArgv) and would record their own loops' stalls
if (process.env.QUANZE_LOOP_TRACE && isMainThread) startLoopTrace({ file: process.env.QUANZE_LOOP_TRACE });

// Preloaded into a server child when QUANZE_LOOP_TRACE names a file (test/reliability/support/loop-trace.ts).
import { startLoopTrace } from './loop-trace';

if (process.env.QUANZE_LOOP_TRACE) startLoopTrace({ file: process.env.QUANZE_LOOP_TRACE });

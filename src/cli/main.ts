#!/usr/bin/env node
// Entry point: wires signals and streams, runs one command, and sets the exit code (the only place that does).
import { EXIT } from '../core/exit-codes.js';
import { releaseHeldLocksNow } from '../state/lock.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
let signalAware = false;

function onSignal(): void {
  // A second signal, or one during a command that cannot wind down, ends the process at once: its lock goes too.
  if (controller.signal.aborted || !signalAware) {
    releaseHeldLocksNow();
    process.exit(EXIT.interrupted);
  }
  controller.abort();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A reader that went away (`copernica-sync help apply | head -1`) is no error of ours: stop writing, keep the code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stderr.isTTY === true,
  signal: controller.signal,
  onCommandStart: (spec) => {
    signalAware = spec.handlesSignals === true;
  },
});
process.exitCode = code;

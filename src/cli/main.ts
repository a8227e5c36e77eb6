#!/usr/bin/env node
// Entry point: parse arguments, run one command, and set the exit code (the only place that does).
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stderr.isTTY === true,
});
process.exitCode = code;

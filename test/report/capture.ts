// A reporter over captured streams, for reporter tests.
import { PassThrough } from 'node:stream';
import { createReporter, type Reporter, type ReporterOptions } from '../../src/report/reporter.js';

export function captureReporter(options: Partial<ReporterOptions> = {}): {
  reporter: Reporter;
  out: () => string;
  err: () => string;
} {
  const streams = { out: new PassThrough(), err: new PassThrough() };
  const text = { out: '', err: '' };
  streams.out.on('data', (chunk: Buffer) => {
    text.out += chunk.toString();
  });
  streams.err.on('data', (chunk: Buffer) => {
    text.err += chunk.toString();
  });
  const reporter = createReporter({
    format: 'text',
    stdout: streams.out,
    stderr: streams.err,
    color: false,
    quiet: false,
    verbose: false,
    isTTY: false,
    env: {},
    ...options,
  });
  return { reporter, out: () => text.out, err: () => text.err };
}

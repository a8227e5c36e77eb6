// Watch mode's output: one timestamped line per event (text) or one NDJSON object per event (json).
import { Writable } from 'node:stream';

export type WatchFormat = 'text' | 'json' | 'github';

export interface WatchLog {
  /** `event` is a stable machine name (ready, change, refused…); `message` the human line. */
  event(event: string, message: string, fields?: Record<string, unknown>): void;
  /** Same as event, on stderr in text mode. */
  problem(event: string, message: string, fields?: Record<string, unknown>): void;
}

export function createWatchLog(
  out: Writable,
  err: Writable,
  format: WatchFormat,
  now: () => Date = () => new Date(),
): WatchLog {
  const write = (stream: Writable, event: string, message: string, fields: Record<string, unknown>) => {
    const time = now().toISOString();
    if (format === 'json')
      out.write(`${JSON.stringify({ type: 'watch', event, time, message, ...fields, version: 1 })}\n`);
    else stream.write(`${time} ${message}\n`);
  };
  return {
    event: (event, message, fields = {}) => write(out, event, message, fields),
    problem: (event, message, fields = {}) => write(err, event, message, fields),
  };
}

/** A stream that prefixes every complete line written to it with a timestamp (the apply pass's own output). */
export function createStampedStream(target: Writable, now: () => Date = () => new Date()): Writable {
  let partial = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      const stamp = now().toISOString();
      const stamped = lines.map((line) => `${stamp} ${line}\n`).join('');
      if (stamped) target.write(stamped);
      callback();
    },
    final(callback) {
      if (partial) target.write(`${now().toISOString()} ${partial}\n`);
      partial = '';
      callback();
    },
  });
}

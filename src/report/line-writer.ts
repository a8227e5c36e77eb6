// Writes whole lines to a stream, each with the time in front when asked (watch mode).
import type { Writable } from 'node:stream';

export type LineWriter = (stream: Writable, text: string) => void;

export function createLineWriter(timestamps: (() => string) | undefined): LineWriter {
  return (stream, text) => {
    const body = text.endsWith('\n') ? text : `${text}\n`;
    if (!timestamps) {
      stream.write(body);
      return;
    }
    const stamp = timestamps();
    stream.write(body.replace(/^(?=.)/gm, `${stamp} `));
  };
}

// A step's output: decoded as UTF-8 across chunk boundaries, streamed to the caller as it arrives,
// and kept (up to a cap) for the result.
import { StringDecoder } from 'node:string_decoder';

/** Output kept per stream; beyond it the step's output is cut (callbacks still see all of it). */
export const maxOutputChars = 8 * 1024 * 1024;

export function stream(source: NodeJS.ReadableStream | null | undefined, sink: (text: string) => void): void {
  if (!source) return;
  const decoder = new StringDecoder('utf8');
  source.on('data', (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text !== '') sink(text);
  });
  source.on('end', () => {
    const rest = decoder.end();
    if (rest !== '') sink(rest);
  });
}

export function collector(onText?: (text: string) => void): {
  add: (text: string) => void;
  text: () => string;
} {
  let kept = '';
  let cut = false;
  return {
    add: (text) => {
      onText?.(text);
      if (kept.length + text.length <= maxOutputChars) kept += text;
      else cut = true;
    },
    text: () => (cut ? `${kept}\n[output cut at ${maxOutputChars} characters]\n` : kept),
  };
}

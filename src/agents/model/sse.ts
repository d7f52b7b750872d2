// Server-sent events from a fetch response body, as both providers stream them: `event:` and
// `data:` fields, events ended by a blank line, comments (`:`) skipped, CRLF or LF line ends.
// Yields each event with its data lines joined by newlines.

export interface SseEvent {
  /** The `event:` field; undefined when the stream names none (OpenAI). */
  event?: string;
  data: string;
}

export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        const width = buffer.startsWith('\r\n', newline) ? 2 : 1;
        // A lone CR at the end of the buffer may be the first half of a CRLF still in flight.
        if (!done && width === 1 && buffer[newline] === '\r' && newline === buffer.length - 1) break;
        buffer = buffer.slice(newline + width);
        if (line === '') {
          if (data.length > 0) yield { ...(event === undefined ? {} : { event }), data: data.join('\n') };
          event = undefined;
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const raw = colon < 0 ? '' : line.slice(colon + 1);
          const text = raw.startsWith(' ') ? raw.slice(1) : raw;
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
      if (done) {
        finished = true;
        break;
      }
    }
    if (data.length > 0) yield { ...(event === undefined ? {} : { event }), data: data.join('\n') };
  } finally {
    // A consumer that stops early (an error event, an abort) frees the connection.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

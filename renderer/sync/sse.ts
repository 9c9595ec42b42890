/** One server-sent event: its type (the `event:` field, "message" when absent) and its data lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * A minimal server-sent events parser over a fetch() body, because
 * EventSource cannot send an Authorization header (and tokens must not go
 * into URLs).
 */
export async function* readServerSentEventFrames(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  try {
    while (!signal?.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          // As in the SSE spec, the type applies to one event only.
          data = [];
          event = '';
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        } else if (line.startsWith('event:')) {
          event = line.slice(line.startsWith('event: ') ? 7 : 6);
        }
        // Comments (heartbeats), ids and retry hints need no handling here.
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** The data of each event, for streams that send one kind of event. */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  for await (const frame of readServerSentEventFrames(body, signal)) yield frame.data;
}

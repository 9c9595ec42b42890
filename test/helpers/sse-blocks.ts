/** Splits a fetch() body into server-sent-event blocks, for tests that inspect the stream itself. */
export type SseBlock =
  | { kind: 'event'; event: string | null; data: unknown }
  | { kind: 'comment'; text: string }
  | { kind: 'end' }
  /** The connection was cut (the read failed), as opposed to the server ending the response. */
  | { kind: 'broken' };

export interface SseBlockReader {
  next(): Promise<SseBlock>;
  cancel(): void;
}

export function sseBlockReader(body: ReadableStream<Uint8Array> | null): SseBlockReader {
  const reader = body?.getReader();
  const decoder = new TextDecoder();
  const queued: SseBlock[] = [];
  let buffer = '';
  const next = async (): Promise<SseBlock> => {
    for (;;) {
      const ready = queued.shift();
      if (ready) return ready;
      const boundary = buffer.indexOf('\n\n');
      if (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data: string[] = [];
        let event: string | null = null;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) queued.push({ kind: 'comment', text: line });
          else if (line.startsWith('event:')) event = line.slice(line.startsWith('event: ') ? 7 : 6);
          else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        if (data.length > 0) queued.push({ kind: 'event', event, data: JSON.parse(data.join('\n')) as unknown });
        continue;
      }
      if (!reader) return { kind: 'end' };
      const chunk = await reader.read().catch(() => 'broken' as const);
      if (chunk === 'broken') return { kind: 'broken' };
      if (chunk.done) return { kind: 'end' };
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  return { next, cancel: () => void reader?.cancel().catch(() => undefined) };
}

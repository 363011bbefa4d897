import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/api/client';
import { LogStore } from '../../src/lib/card/log-store.svelte';

function ndjson(chunks: object[], thenFail = false): Response {
  const encoder = new TextEncoder();
  const text = chunks.map((chunk) => JSON.stringify(chunk) + '\n').join('');
  // Split mid-line, as the network does; a failing stream fails only after its data was read.
  const parts = [text.slice(0, Math.floor(text.length / 2)), text.slice(Math.floor(text.length / 2))];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts.shift();
      if (part !== undefined) controller.enqueue(encoder.encode(part));
      else if (thenFail) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
}

describe('LogStore', () => {
  it('picks a dropped stream up after the last seq, with nothing lost or shown twice', async () => {
    const asked: string[] = [];
    const answers = [
      () => ndjson([{ seq: 1, stream: 'system', text: '$ make\n' }, { seq: 2, stream: 'stdout', text: 'building\n' }], true),
      () => ndjson([{ seq: 2, stream: 'stdout', text: 'building\n' }, { seq: 3, stream: 'stderr', text: 'warning\n' }]),
    ];
    const api = createApi('http://host.test', (async (request: Request) => {
      asked.push(new URL(request.url).search);
      return answers[asked.length - 1]!();
    }) as typeof fetch);

    const log = new LogStore(api, 'e1');
    await log.follow();

    expect(asked).toEqual(['?after_seq=0&follow=true', '?after_seq=2&follow=true']);
    expect(log.chunks.map((chunk) => chunk.seq)).toEqual([1, 2, 3]);
    expect(log.chunks.map((chunk) => chunk.text).join('')).toBe('$ make\nbuilding\nwarning\n');
    expect(log.ended).toBe(true);
    expect(log.interrupted).toBe(false);
  });
});

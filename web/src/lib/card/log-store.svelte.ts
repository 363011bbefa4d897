import type { Api } from '../api/client';

/** One stored chunk of an execution's output, as the logs endpoint streams it. */
export interface LogChunk {
  seq: number;
  stream: 'stdout' | 'stderr' | 'system' | string;
  text: string;
}

const retryMs = [500, 1000, 2000, 5000];

/**
 * Follows an execution's log (`GET /api/executions/{id}/logs?follow=true`, NDJSON) until the
 * execution ends. A dropped stream is picked up again after the last seq received, so no chunk is
 * lost or shown twice.
 */
export class LogStore {
  chunks = $state<LogChunk[]>([]);
  /** True once the host said everything is sent (the execution has ended). */
  ended = $state(false);
  /** Set while the stream is down and being retried. */
  interrupted = $state(false);

  readonly executionId: string;
  readonly #api: Api;
  #lastSeq = 0;
  #abort = new AbortController();

  constructor(api: Api, executionId: string) {
    this.#api = api;
    this.executionId = executionId;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  async follow() {
    for (let attempt = 0; !this.#abort.signal.aborted; attempt++) {
      try {
        await this.#read();
        this.ended = true;
        this.interrupted = false;
        return;
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        this.interrupted = true;
        await new Promise((done) => setTimeout(done, retryMs[Math.min(attempt, retryMs.length - 1)]));
      }
    }
  }

  stop() {
    this.#abort.abort();
  }

  /** Adds chunks after the last seq; anything at or before it was shown already. */
  add(chunk: LogChunk) {
    if (chunk.seq <= this.#lastSeq) return;
    this.#lastSeq = chunk.seq;
    this.chunks.push(chunk);
  }

  async #read() {
    const { response } = await this.#api.GET('/api/executions/{id}/logs', {
      params: { path: { id: this.executionId }, query: { after_seq: String(this.#lastSeq), follow: true } },
      parseAs: 'stream',
      signal: this.#abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`the log answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.add(JSON.parse(line) as LogChunk);
    }
    if (pending.trim()) this.add(JSON.parse(pending) as LogChunk);
  }
}

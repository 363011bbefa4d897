import { describe, expect, it } from 'vitest';
import { PlaygroundStore } from '../../src/lib/playground/playground-store.svelte';
import { fakeApi } from './fakes';

/** An EventSource the test drives: it keeps its listeners and delivers what the test says the host sent. */
class FakeSource {
  readonly listeners = new Map<string, ((message: { data: string }) => void)[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (message: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(type: string, data: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) });
  }
  close() {
    this.closed = true;
  }
}

const run = (state: string) => ({ id: 'p1', repo_id: 'r1', agent: 'claude-code', model: null, base_branch: 'main', base_sha: 'a', task: 't', execution_id: 'e1', work_branch: 'lazyaf/play-p1', state, error: null, result_sha: null, saved_to: null, created_at: '', started_at: null, finished_at: null, usage: null });

describe('PlaygroundStore', () => {
  it('starts a run, streams its events once each, and on the end event stops the stream and loads the diff', async () => {
    const { api, requests } = fakeApi(({ method, path }) => {
      if (method === 'POST' && path === '/api/repos/r1/playground/runs') return { status: 202, body: run('pending') };
      if (path === '/api/playground/runs/p1') return { status: 200, body: run('succeeded') };
      if (path === '/api/playground/runs/p1/diff') return { status: 200, body: { base_sha: 'a', head_sha: 'b', merge_base_sha: 'a', additions: 1, deletions: 0, files: [] } };
      if (path === '/api/playground/runs/p1/save') return { status: 200, body: { branch: 'play/x', sha: 'abcdef123', outcome: 'created', run: run('succeeded') } };
      return undefined;
    });
    let source: FakeSource | null = null;
    const store = new PlaygroundStore(api, 'r1', (url) => (source = new FakeSource(url)) as unknown as EventSource);
    store.task = '  write notes ';
    store.branch = 'dev';
    await store.start();
    expect(requests[0]?.body).toEqual({ agent: 'claude-code', task: 'write notes', branch: 'dev' });
    expect(source!.url).toBe('/api/playground/runs/p1/events');

    const event = { seq: 1, at: '', event: { kind: 'tool_call', tool_name: 'Bash', summary: 'ls' } };
    source!.send('tool_call', event);
    source!.send('tool_call', event);
    expect(store.events).toHaveLength(1);
    source!.send('end', { state: 'succeeded', error: null });
    await expect.poll(() => store.diff?.head_sha).toBe('b');
    expect(source!.closed).toBe(true);
    expect(store.ended).toBe(true);

    await store.save('play/x');
    expect(store.saved).toBe('Saved to play/x at abcdef1 (created).');
  });

  it('says why the host refused to start, as a sentence', async () => {
    const { api } = fakeApi(() => ({ status: 400, body: { title: 'The request is invalid', status: 400, detail: 'task is required.' } }));
    const store = new PlaygroundStore(api, 'r1', () => new FakeSource('') as unknown as EventSource);
    await store.start();
    expect(store.error).toBe('task is required.');
    expect(store.run).toBeNull();
  });
});

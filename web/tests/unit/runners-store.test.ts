import { beforeEach, describe, expect, it } from 'vitest';
import { LiveEvents } from '../../src/lib/live/live-events.svelte';
import { RunnersStore, ago, connectCommand } from '../../src/lib/runners/runners-store.svelte';
import { FakeSocket, fakeApi } from './fakes';

function runner(overrides: Record<string, unknown> = {}) {
  return {
    id: 'r1',
    name: 'bench-pi',
    labels: ['pool=bench', 'arch=arm64'],
    step_kinds: ['script', 'agent'],
    capacity: 1,
    version: 'lazyaf-native-agent/0.1.0',
    state: 'idle',
    connected: true,
    draining: false,
    created_at: '2026-12-01T10:00:00Z',
    connected_at: '2026-12-01T10:00:00Z',
    last_seen_at: '2026-12-01T10:00:00Z',
    executions: [],
    ...overrides,
  };
}

describe('RunnersStore', () => {
  beforeEach(() => {
    FakeSocket.made = [];
  });

  it('follows the runners topic before loading, looks up what each runs, and reloads on runner events', async () => {
    let listed = [runner({ name: 'old-box', connected: false, state: 'disconnected', id: 'r0' }), runner({ state: 'busy', executions: ['e1'] })];
    const { api, requests } = fakeApi(({ path }) => {
      if (path === '/api/runners') return { status: 200, body: listed };
      if (path === '/api/executions/e1') return { status: 200, body: { id: 'e1', kind: 'card', subject_id: 'c9' } };
      return undefined;
    });
    const live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
    const store = new RunnersStore(api);
    const stop = store.connect(live);
    expect(FakeSocket.latest().url.searchParams.get('topics')).toBe('runners');
    expect(requests).toEqual([]);
    FakeSocket.latest().open();

    // Connected runners first.
    await expect.poll(() => store.runners.map((r) => r.name)).toEqual(['bench-pi', 'old-box']);
    await expect.poll(() => store.steps.e1).toEqual({ executionId: 'e1', kind: 'card', subjectId: 'c9' });

    listed = [runner({ state: 'idle' })];
    FakeSocket.latest().receive({ type: 'runner.revoked', id: 4, payload: { runner_id: 'r0' } });
    await expect.poll(() => store.runners.map((r) => r.name)).toEqual(['bench-pi']);
    stop();
    live.close();
  });

  it('drains and revokes, and says why the host refused as a sentence', async () => {
    const { api, requests } = fakeApi(({ method, path }) => {
      if (path === '/api/runners') return { status: 200, body: [runner()] };
      if (path === '/api/runners/r1/drain') return { status: 409, body: { title: 'Runner not connected', status: 409, detail: 'Runner r1 is disconnected; only a connected runner can be drained.' } };
      if (method === 'DELETE' && path === '/api/runners/r1') return { status: 204 };
      return undefined;
    });
    const store = new RunnersStore(api);
    await store.load();
    await store.drain('r1');
    expect(store.actionError).toBe('Runner r1 is disconnected; only a connected runner can be drained.');
    await store.revoke('r1');
    expect(store.actionError).toBeNull();
    expect(requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual(['/api/runners/r1']);
    expect(store.busy).toBeNull();
  });

  it('makes a one-use registration token and the command that connects with it', async () => {
    const { api, requests } = fakeApi(({ path }) =>
      path === '/api/runners/tokens' ? { status: 201, body: { id: 't1', token: 'lzreg_abc', expires_at: '2026-12-01T11:00:00Z', uses: 1 } } : undefined,
    );
    const store = new RunnersStore(api);
    await store.makeToken(' the Pi ');
    expect(requests[0]?.body).toEqual({ description: 'the Pi', expires_in_minutes: 60, uses: 1 });
    // A host without a runner endpoint: this host on the documented port.
    expect(connectCommand(store.token!.token, store.token!.runner_url ?? null, 'http://lazyaf.lan:8080')).toBe(
      'lazyaf-native-agent --server http://lazyaf.lan:8081 --token lzreg_abc --name my-runner --labels pool=bench',
    );
    // The configured endpoint as it is; a wildcard host is the one the browser reached.
    const server = (runnerUrl: string) => connectCommand('t', runnerUrl, 'https://board.lan').split(' ')[2];
    expect(server('https://ci.example:9443')).toBe('https://ci.example:9443');
    expect(server('http://0.0.0.0:8081')).toBe('http://board.lan:8081');
    expect(server('http://[::]:7000')).toBe('http://board.lan:7000');
    expect(server('http://+:8082/')).toBe('http://board.lan:8082');
    expect(server('http://*:8083')).toBe('http://board.lan:8083');
    expect(server('not a url')).toBe('https://board.lan:8081');
  });

  it('says when a runner was last seen', () => {
    const now = Date.parse('2026-12-01T10:10:00Z');
    expect(ago(null, now)).toBe('never');
    expect(ago('2026-12-01T10:09:58Z', now)).toBe('just now');
    expect(ago('2026-12-01T10:09:30Z', now)).toBe('30 s ago');
    expect(ago('2026-12-01T10:00:00Z', now)).toBe('10 min ago');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { LiveEvents } from '../../src/lib/live/live-events.svelte';
import { RunStore, took } from '../../src/lib/pipelines/run-store.svelte';
import { layout } from '../../src/lib/pipelines/step-graph';
import { FakeSocket, fakeApi } from './fakes';

function attempt(n: number, state: string, extra: Record<string, unknown> = {}) {
  return { attempt: n, round: 0, fix_for: null, execution_id: `e-${n}-${state}`, state, exit_code: null, error: null, tests: null, commit_sha: null, started_at: '2026-12-01T10:00:00Z', finished_at: null, ...extra };
}

function step(id: string, state: string, attempts: ReturnType<typeof attempt>[], needs: string[] = []) {
  const last = attempts.at(-1);
  return { id, name: id, type: 'script', needs, state, attempt: attempts.length, execution_id: last?.execution_id ?? null, exit_code: null, error: null, tests: null, started_at: null, finished_at: null, attempts };
}

function run(state: string, steps: ReturnType<typeof step>[]) {
  return { id: 'run1', repo_id: 'r1', pipeline: 'ci', source: 'db', branch: 'main', work_branch: 'lazyaf/run-1', commit_sha: 'abc', head_sha: null, state, trigger_kind: 'manual', trigger_id: null, card_id: null, params: {}, error: null, created_at: '2026-12-01T10:00:00Z', started_at: '2026-12-01T10:00:00Z', finished_at: null, tests: null, steps };
}

describe('RunStore', () => {
  beforeEach(() => {
    FakeSocket.made = [];
  });

  it('follows the run and its steps before loading, reloads on their events, and shows the step worth looking at', async () => {
    let answer = run('running', [step('build', 'passed', [attempt(1, 'passed')]), step('test', 'running', [attempt(1, 'running')], ['build'])]);
    const { api, requests } = fakeApi(({ path }) => (path === '/api/pipeline-runs/run1' ? { status: 200, body: answer } : undefined));
    const live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
    const store = new RunStore(api, 'run1');
    const stop = store.connect(live);

    expect(FakeSocket.latest().url.searchParams.get('topics')).toBe('pipeline_run:run1,pipeline_step:run1');
    expect(requests).toEqual([]);
    FakeSocket.latest().open();
    await expect.poll(() => store.run?.state).toBe('running');
    expect(store.shownStep?.id).toBe('test');
    expect(store.finished).toBe(false);

    // The test step failed, a fix ran, the test passed on its second attempt.
    answer = run('passed', [
      step('build', 'passed', [attempt(1, 'passed')]),
      step('test', 'passed', [attempt(1, 'failed'), attempt(2, 'passed', { round: 1 })], ['build']),
      step('fix', 'passed', [attempt(1, 'passed', { fix_for: 'test' })]),
    ]);
    FakeSocket.latest().receive({ type: 'execution.updated', id: 7, payload: { execution: { id: 'e-1-running', state: 'succeeded' } } });
    await expect.poll(() => store.run?.state).toBe('passed');
    expect(store.finished).toBe(true);
    expect(store.shownStep?.id).toBe('fix');

    store.select('test');
    expect(store.shownAttempt?.attempt).toBe(2);
    store.chosenAttempt = 1;
    expect(store.shownAttempt?.execution_id).toBe('e-1-failed');
    stop();
    live.close();
  });

  it('cancels the run and shows the host’s refusal as a sentence', async () => {
    const { api } = fakeApi(({ path }) =>
      path === '/api/pipeline-runs/run1/cancel' ? { status: 409, body: { title: 'Run ended', status: 409, detail: 'Pipeline run run1 already ended passed.' } } : undefined,
    );
    const store = new RunStore(api, 'run1');
    await store.cancel();
    expect(store.actionError).toBe('Pipeline run run1 already ended passed.');
    expect(store.cancelling).toBe(false);
  });

  it('says how long things took', () => {
    expect(took('2026-12-01T10:00:00Z', '2026-12-01T10:00:02.5Z')).toBe('2.5 s');
    expect(took('2026-12-01T10:00:00Z', '2026-12-01T10:03:05Z')).toBe('3 min 5 s');
    expect(took(null, null)).toBe('');
  });
});

describe('the step graph', () => {
  it('puts each step right of what it needs and a fix step right of the step it fixes', () => {
    const drawn = layout([
      { id: 'build', name: 'build', needs: [] },
      { id: 'test', name: 'test', needs: ['build'], onFailure: 'run:fix' },
      { id: 'lint', name: 'lint', needs: ['build'], onFailure: 'next' },
      { id: 'fix', name: 'fix', needs: [], fixStep: true },
      { id: 'ship', name: 'ship', needs: ['test', 'lint'], onSuccess: 'merge:main' },
    ]);
    const x = Object.fromEntries(drawn.nodes.map((node) => [node.step.id, node.x]));
    expect(x.build).toBeLessThan(x.test!);
    expect(x.test).toBe(x.lint);
    expect(x.fix).toBeGreaterThan(x.test!);
    expect(x.ship).toBeGreaterThan(x.test!);
    expect(drawn.edges).toContainEqual({ from: 'test', to: 'fix', kind: 'fix' });
    expect(drawn.edges.filter((edge) => edge.to === 'ship')).toHaveLength(2);
    expect(drawn.exits).toEqual([{ from: 'ship', label: 'merge:main' }]);
  });
});

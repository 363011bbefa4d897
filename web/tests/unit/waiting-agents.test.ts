import { beforeEach, describe, expect, it } from 'vitest';
import { WaitingAgents } from '../../src/lib/approvals/waiting-agents.svelte';
import { DiffComments, lineAt } from '../../src/lib/card/diff-comments.svelte';
import { LiveEvents } from '../../src/lib/live/live-events.svelte';
import { FakeSocket, fakeApi } from './fakes';

const requested = (requestId: string, executionId = 'e1', timesOutAt = '2999-01-01T00:00:00Z') => ({
  type: 'approval.requested',
  id: 5,
  payload: { execution_id: executionId, kind: 'card', subject_id: 'c1', repo_id: 'r1', request_id: requestId, tool_name: 'Bash', summary: 'rm -rf build', times_out_at: timesOutAt },
});

describe('WaitingAgents', () => {
  beforeEach(() => {
    FakeSocket.made = [];
    localStorage.clear();
  });

  it('follows every repo, counts the waiting requests with a tone for each new one, and drops them when their execution ends', async () => {
    const { api } = fakeApi(() => undefined);
    let chimes = 0;
    const agents = new WaitingAgents(api, localStorage, () => chimes++);
    const live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
    agents.watch(live, ['r2', 'r1']);
    expect(FakeSocket.latest().url.searchParams.get('topics')).toBe('repo:r1,repo:r2');
    FakeSocket.latest().open();

    FakeSocket.latest().receive(requested('q1'));
    FakeSocket.latest().receive(requested('q1'));
    FakeSocket.latest().receive(requested('q2', 'e2'));
    expect(agents.count).toBe(2);
    expect(chimes).toBe(2);

    agents.toggleSound();
    FakeSocket.latest().receive(requested('q3', 'e2'));
    expect(chimes).toBe(2);
    expect(localStorage.getItem('lazyaf.sound')).toBe('off');
    expect(new WaitingAgents(api, localStorage).sound).toBe(false);

    FakeSocket.latest().receive({ type: 'execution.updated', id: 6, payload: { execution: { id: 'e2', state: 'cancelled' } } });
    expect(agents.waiting.map((request) => request.requestId)).toEqual(['q1']);
    agents.answered('e1', 'q1');
    expect(agents.count).toBe(0);
    agents.stop();
    live.close();
  });

  it('answers a request; one answered elsewhere meanwhile (409) no longer waits and the refusal is a sentence', async () => {
    const { api, requests } = fakeApi(({ method, path }) => {
      if (method === 'POST' && path === '/api/executions/e1/approvals/q1') return { status: 200, body: {} };
      if (method === 'POST') return { status: 409, body: { title: 'Approval decided', status: 409, detail: 'Request q2 was already answered: denied.' } };
      if (path === '/api/approvals?state=pending') return { status: 200, body: [] };
      return undefined;
    });
    const agents = new WaitingAgents(api, localStorage, () => {});
    agents.receive(requested('q1'));
    agents.receive(requested('q2'));
    expect(await agents.answer(agents.waiting[0]!, 'deny', ' not here ')).toBe(true);
    expect(requests[0]?.body).toEqual({ decision: 'deny', message: 'not here' });
    expect(await agents.answer(agents.waiting[0]!, 'allow')).toBe(false);
    expect(agents.error).toBe('Request q2 was already answered: denied.');
    expect(agents.count).toBe(0);
  });
});

const queued = (requestId: string, executionId: string, overrides: Record<string, unknown> = {}) => ({
  execution_id: executionId,
  kind: 'card',
  subject_id: 'c1',
  card_id: 'c1',
  run_id: null,
  repo_id: 'r1',
  request_id: requestId,
  tool_name: 'Edit',
  summary: 'src/a.ts',
  state: 'pending',
  message: null,
  decided_by: null,
  requested_at: '2026-12-01T10:00:00Z',
  decided_at: null,
  ...overrides,
});

describe('WaitingAgents on a page opened while an agent waits', () => {
  it('finds what already waits in the host’s queue, every page of it, without a tone', async () => {
    const { api, requests } = fakeApi(({ path }) => {
      if (path === '/api/approvals?state=pending')
        return { status: 200, body: [queued('q1', 'e9')], headers: { Link: '</api/approvals?state=pending&cursor=abc>; rel="next"' } };
      if (path === '/api/approvals?state=pending&cursor=abc')
        return { status: 200, body: [queued('q2', 'e8', { kind: 'pipeline_step', subject_id: 'run1', card_id: null, run_id: 'run1', tool_name: 'Bash', summary: 'make' })] };
      return undefined;
    });
    let chimes = 0;
    const agents = new WaitingAgents(api, localStorage, () => chimes++);
    const live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
    agents.watch(live, ['r1']);
    FakeSocket.latest().open();
    await expect.poll(() => agents.waiting.map((request) => `${request.kind}:${request.subjectId}/${request.requestId}/${request.toolName}`)).toEqual([
      'card:c1/q1/Edit',
      'pipeline_step:run1/q2/Bash',
    ]);
    expect(chimes).toBe(0);
    expect(requests.filter((request) => request.path.startsWith('/api/approvals')).length).toBe(2);
    agents.stop();
    live.close();
  });

  it('drops on a refresh what the host no longer holds, and keeps what arrived while it was asked', async () => {
    let answer: ((value: { status: number; body: unknown }) => void) | null = null;
    const { api } = fakeApi(({ path }) => (path === '/api/approvals?state=pending' ? new Promise((resolve) => (answer = resolve)) : undefined));
    const agents = new WaitingAgents(api, localStorage, () => {});
    agents.receive(requested('q1'));
    agents.receive(requested('q2'));
    const refreshing = agents.refresh();
    agents.receive(requested('q3'));
    await expect.poll(() => answer).not.toBeNull();
    answer!({ status: 200, body: [queued('q2', 'e1')] });
    await refreshing;
    expect(agents.waiting.map((request) => request.requestId)).toEqual(['q2', 'q3']);
  });

  it('keeps what it knows when the host does not answer', async () => {
    const { api } = fakeApi(() => ({ status: 503, body: { title: 'Unavailable', status: 503 } }));
    const agents = new WaitingAgents(api, localStorage, () => {});
    agents.receive(requested('q1'));
    await agents.refresh();
    expect(agents.count).toBe(1);
  });
});

describe('DiffComments', () => {
  it('collects line comments and writes them as one follow-up, file by file and line by line', () => {
    const review = new DiffComments();
    review.pick('src/b.ts', 9);
    review.text = 'handle null';
    expect(review.add()).toBe(true);
    review.pick('src/a.ts', 3);
    review.text = '  rename this\n  to parse  ';
    expect(review.add()).toBe(true);
    review.text = '';
    expect(review.add()).toBe(false);
    expect(review.message()).toBe('Review comments on your changes; please address each one:\n- src/a.ts:3: rename this to parse\n- src/b.ts:9: handle null');
    review.remove(0);
    expect(review.count).toBe(1);
  });

  it('finds the file and new line number of a click on diff2html’s line numbers', () => {
    document.body.innerHTML = `<div class="d2h-file-wrapper"><span class="d2h-file-name">NOTES.md</span><table><tr>
      <td class="d2h-code-linenumber"><div class="line-num1"></div><div class="line-num2">4</div></td><td class="d2h-code-line">text</td></tr></table></div>`;
    expect(lineAt(document.querySelector('.line-num2')!)).toEqual({ path: 'NOTES.md', line: 4 });
    expect(lineAt(document.querySelector('.d2h-code-line')!)).toBeNull();
  });
});

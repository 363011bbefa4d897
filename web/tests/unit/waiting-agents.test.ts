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
      if (path === '/api/executions/e1/approvals') return { status: 200, body: [{ request_id: 'q2', state: 'denied' }] };
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

describe('WaitingAgents on a page opened while an agent waits', () => {
  it('finds the requests already pending on the agent cards in progress, without a tone', async () => {
    const { api } = fakeApi(({ path }) => {
      if (path === '/api/repos/r1/cards?status=in_progress')
        return { status: 200, body: [{ id: 'c1', status: 'in_progress', step_type: 'agent' }, { id: 'c2', status: 'in_progress', step_type: 'script' }, { id: 'c3', status: 'todo', step_type: 'agent' }] };
      if (path === '/api/cards/c1') return { status: 200, body: { id: 'c1', attempts: [{ execution_id: 'e9' }] } };
      if (path === '/api/executions/e9/approvals')
        return { status: 200, body: [{ request_id: 'q1', tool_name: 'Bash', summary: 'make', state: 'allowed' }, { request_id: 'q2', tool_name: 'Edit', summary: 'src/a.ts', state: 'pending' }] };
      return undefined;
    });
    let chimes = 0;
    const agents = new WaitingAgents(api, localStorage, () => chimes++);
    const live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
    agents.watch(live, ['r1']);
    FakeSocket.latest().open();
    await expect.poll(() => agents.waiting.map((request) => `${request.subjectId}/${request.requestId}/${request.toolName}`)).toEqual(['c1/q2/Edit']);
    expect(chimes).toBe(0);
    agents.stop();
    live.close();
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

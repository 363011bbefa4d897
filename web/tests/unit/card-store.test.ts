import { describe, expect, it } from 'vitest';
import { CardStore } from '../../src/lib/card/card-store.svelte';
import { cardResponse, fakeApi as fakeHost } from './fakes';

/** The card's history is empty unless a test says otherwise. */
const fakeApi: typeof fakeHost = (route) => fakeHost((request) => (request.path === '/api/cards/c1/events' ? { status: 200, body: [] } : route(request)));

const attempt = { number: 1, execution_id: 'e1', branch: 'lazyaf/card-c1', outcome: 'succeeded', test_summary: null, cost_usd: null, input_tokens: null, output_tokens: null, agent_session_id: null, follow_up: null, started_at: '2026-12-01T10:00:00+00:00', finished_at: '2026-12-01T10:00:05+00:00' };
const inReview = cardResponse({
  status: 'in_review',
  branch_name: 'lazyaf/card-c1',
  attempts: [attempt],
  allowed_transitions: [
    { trigger: 'approve', to: 'done' },
    { trigger: 'fail', to: 'failed' },
    { trigger: 'reject', to: 'todo' },
    { trigger: 'retry', to: 'in_progress' },
  ],
});
const diff = { base_sha: 'a', head_sha: 'b', merge_base_sha: 'a', additions: 1, deletions: 0, files: [{ path: 'NOTES.md', old_path: null, status: 'added', additions: 1, deletions: 0, binary: false, patch: '' }] };

describe('CardStore', () => {
  it('offers the moves a person can make, and loads the diff of a pushed branch', async () => {
    const { api } = fakeApi(({ path }) => (path === '/api/cards/c1' ? { status: 200, body: inReview } : path === '/api/cards/c1/diff' ? { status: 200, body: diff } : undefined));
    const store = new CardStore(api, 'c1');
    await store.load();

    expect(store.can('approve')).toBe(true);
    expect(store.can('start')).toBe(false);
    expect(store.pushed).toBe(true);
    await store.loadDiff();
    expect(store.diff?.files.map((file) => file.path)).toEqual(['NOTES.md']);
  });

  it('does not ask for the diff of a branch that is only named so far', async () => {
    const started = cardResponse({ status: 'in_progress', branch_name: 'lazyaf/card-c1', attempts: [{ ...attempt, outcome: null, finished_at: null }] });
    const { api, requests } = fakeApi(({ path }) => (path === '/api/cards/c1' ? { status: 200, body: started } : undefined));
    const store = new CardStore(api, 'c1');
    await store.load();
    await store.loadDiff();

    expect(store.pushed).toBe(false);
    expect(requests.some((request) => request.path.endsWith('/diff'))).toBe(false);
  });

  it('approves into the target branch and shows a conflict as a sentence with its paths', async () => {
    const { api, requests } = fakeApi(({ method, path }) => {
      if (path === '/api/cards/c1' && method === 'GET') return { status: 200, body: inReview };
      if (path === '/api/cards/c1/approve')
        return {
          status: 409,
          body: { title: 'Merge conflict', status: 409, detail: "Merging lazyaf/card-c1 into release conflicts in 1 file; the card stays in review.", conflicting_paths: ['NOTES.md'], target_branch: 'release' },
        };
      return { status: 200, body: diff };
    });
    const store = new CardStore(api, 'c1');
    await store.load();

    expect(await store.approve(' release ')).toBe(false);

    expect(requests.find((request) => request.path === '/api/cards/c1/approve')?.body).toEqual({ target_branch: 'release' });
    expect(store.actionError).toBe('Merging lazyaf/card-c1 into release conflicts in 1 file; the card stays in review.');
    expect(store.conflicts).toEqual(['NOTES.md']);
    expect(store.busy).toBeNull();
  });

  it('rejects with the reason given, and shows the card the host answers with', async () => {
    const { api, requests } = fakeApi(({ method, path }) => {
      if (path === '/api/cards/c1/reject') return { status: 200, body: cardResponse({ status: 'todo', allowed_transitions: [{ trigger: 'start', to: 'in_progress' }] }) };
      if (method === 'GET' && path === '/api/cards/c1') return { status: 200, body: inReview };
      return { status: 200, body: diff };
    });
    const store = new CardStore(api, 'c1');
    await store.load();

    expect(await store.reject('needs tests')).toBe(true);
    expect(requests.find((request) => request.path === '/api/cards/c1/reject')?.body).toEqual({ reason: 'needs tests' });
    expect(store.card?.status).toBe('todo');
    expect(store.can('start')).toBe(true);
  });
});

describe('CardStore approvals', () => {
  it('lists the newest attempt’s pending tool requests and answers one in place', async () => {
    const agentCard = cardResponse({
      status: 'in_progress',
      step_type: 'agent',
      step_config: { agent: 'claude-code', approval: true },
      attempts: [{ ...attempt, outcome: null, finished_at: null }],
    });
    let state = 'pending';
    const { api, requests } = fakeApi(({ method, path }) => {
      if (path === '/api/cards/c1') return { status: 200, body: agentCard };
      if (path === '/api/executions/e1') return { status: 200, body: { id: 'e1', state: 'running', exit_code: null, error: null } };
      if (method === 'GET' && path === '/api/executions/e1/approvals')
        return { status: 200, body: [{ request_id: 'q1', tool_name: 'Bash', summary: 'make deploy', state, message: null, decided_by: null, requested_at: '2026-12-01T10:00:00Z', decided_at: null }] };
      if (method === 'POST' && path === '/api/executions/e1/approvals/q1') {
        state = 'denied';
        return { status: 200, body: {} };
      }
      return undefined;
    });
    const store = new CardStore(api, 'c1');
    await store.load();
    await expect.poll(() => store.pendingApprovals.map((approval) => approval.summary)).toEqual(['make deploy']);
    expect(await store.answer('q1', 'deny', 'not on a Friday')).toBe(true);
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({ decision: 'deny', message: 'not on a Friday' });
    expect(store.pendingApprovals).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { DebugSessionStore, startDebugRerun, timeLeft } from '../../src/lib/pipelines/debug-session.svelte';
import { fakeApi } from './fakes';

function session(overrides: Record<string, unknown> = {}) {
  return {
    id: 's1',
    run_id: 'run2',
    step_id: 'ship',
    after_failure: false,
    state: 'waiting',
    created_at: '2026-12-01T10:00:00Z',
    expires_at: '2026-12-01T11:00:00Z',
    ended_at: null,
    end_reason: null,
    ...overrides,
  };
}

describe('startDebugRerun', () => {
  it('asks for a re-run pausing before the chosen steps and gives the new run; a refusal is a sentence', async () => {
    const { api, requests } = fakeApi(({ path, body }) => {
      if (path !== '/api/pipeline-runs/run1/debug-rerun') return undefined;
      if ((body as { breakpoints: string[] }).breakpoints.includes('ghost'))
        return { status: 400, body: { title: 'Invalid', status: 400, errors: { breakpoints: ["No step 'ghost' in pipeline app."] } } };
      return { status: 201, body: { run_id: 'run2' } };
    });
    expect(await startDebugRerun(api, 'run1', ['ship'], true)).toBe('run2');
    expect(requests[0]?.body).toEqual({ breakpoints: ['ship'], pause_on_failure: true, commit: null });
    await expect(startDebugRerun(api, 'run1', ['ghost'], false)).rejects.toThrow("No step 'ghost' in pipeline app.");
  });
});

describe('DebugSessionStore', () => {
  it('finds the run’s open session, reloads on its events only, and counts down its time', async () => {
    let sessions = [session({ id: 's0', state: 'ended' }), session()];
    const { api, requests } = fakeApi(({ path }) => (path === '/api/debug?run_id=run2' ? { status: 200, body: sessions } : undefined));
    const debug = new DebugSessionStore(api, 'run2');
    await debug.load();
    expect(debug.session?.id).toBe('s1');
    expect(debug.left(Date.parse('2026-12-01T10:58:30Z'))).toBe(90);
    expect(timeLeft(90)).toBe('1:30');
    expect(timeLeft(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(debug.left(Date.parse('2026-12-01T12:00:00Z'))).toBe(0);

    debug.receive({ type: 'debug_session.updated', id: 3, payload: { session: { id: 'x', run_id: 'other' } } });
    debug.receive({ type: 'pipeline_run.updated', id: 4, payload: {} });
    expect(requests.length).toBe(1);
    sessions = [session({ state: 'timed_out' })];
    debug.receive({ type: 'debug_session.updated', id: 5, payload: { session: { id: 's1', run_id: 'run2' } } });
    await expect.poll(() => debug.session).toBeNull();
  });

  it('resumes, extends and marks; an ended session is gone and a refused action says why', async () => {
    const { api, requests } = fakeApi(({ method, path }) => {
      if (path === '/api/debug?run_id=run2') return { status: 200, body: [session({ state: 'connected' })] };
      if (path === '/api/debug/s1/extend') return { status: 200, body: session({ expires_at: '2026-12-01T12:00:00Z' }) };
      if (path === '/api/debug/s1/mark') return { status: 409, body: { title: 'Debug session not changed', status: 409, detail: 'Debug session s1: the run is not paused after a failure.' } };
      if (method === 'POST' && path === '/api/debug/s1/resume') return { status: 200, body: session({ state: 'ended', end_reason: 'resumed' }) };
      return undefined;
    });
    const debug = new DebugSessionStore(api, 'run2');
    await debug.load();
    expect(await debug.extend()).toBe(true);
    expect(debug.session?.expires_at).toBe('2026-12-01T12:00:00Z');
    expect(await debug.mark('passed')).toBe(false);
    expect(debug.error).toBe('Debug session s1: the run is not paused after a failure.');
    expect(requests.find((request) => request.path === '/api/debug/s1/mark')?.body).toEqual({ outcome: 'passed' });
    expect(await debug.resume()).toBe(true);
    expect(debug.session).toBeNull();
    expect(debug.busy).toBeNull();
  });

  it('opens its terminal with a fresh one-time token, sized, on the page’s origin as a WebSocket', async () => {
    const { api } = fakeApi(({ path }) => {
      if (path === '/api/debug?run_id=run2') return { status: 200, body: [session()] };
      if (path === '/api/debug/s1/terminal-token') return { status: 200, body: { token: 't0k', expires_at: '2026-12-01T10:01:00Z', url: '/api/debug/s1/terminal?token=t0k' } };
      return undefined;
    });
    const debug = new DebugSessionStore(api, 'run2');
    await debug.load();
    expect(await debug.terminalUrl(120, 30, 'https://board.example:8443')).toBe('wss://board.example:8443/api/debug/s1/terminal?token=t0k&cols=120&rows=30');
  });
});

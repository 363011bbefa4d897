import { describe, expect, it } from 'vitest';
import { call } from '../../src/lib/api/client';
import { Session } from '../../src/lib/session.svelte';
import { fakeApi } from './fakes';

describe('the session', () => {
  it('stays signed in through answers that are not 401, refusals included', async () => {
    const session = new Session();
    const { api } = fakeApi((request) => (request.path === '/api/repos' ? { status: 200, body: [] } : { status: 403, body: { title: 'Forbidden', status: 403 } }), session);
    await call(api.GET('/api/repos'));
    await expect(call(api.GET('/api/cards/{id}', { params: { path: { id: 'c1' } } }))).rejects.toThrow();
    expect(session.signedOut).toBe(false);
  });

  it('is signed out by the first 401, which still fails the request', async () => {
    const session = new Session();
    const { api } = fakeApi(() => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }), session);
    await expect(call(api.GET('/api/repos'))).rejects.toMatchObject({ status: 401 });
    expect(session.signedOut).toBe(true);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { LiveEvents } from '../../src/lib/live/live-events.svelte';
import { RepoStore } from '../../src/lib/repo/repo-store.svelte';
import { FakeSocket, fakeApi } from './fakes';

const repo = { id: 'r1', name: 'app', clone_url: 'http://h/git/r1.git', default_branch: 'main', remote_url: null, created_at: '2026-12-01T10:00:00Z', updated_at: '2026-12-01T10:00:00Z', setup_command: null, secrets_file: null };
const branch = (name: string, is_default = false) => ({ name, sha: `${name}-sha`, is_default, committed_at: '2026-12-01T10:00:00Z', subject: `tip of ${name}` });
const commit = (sha: string) => ({ sha, parents: [], author_name: 'A', author_email: 'a@x', authored_at: '2026-12-01T10:00:00Z', subject: `commit ${sha}`, message: '' });

describe('RepoStore', () => {
  beforeEach(() => {
    FakeSocket.made = [];
  });

  it('follows the repo before loading, shows the default branch’s commits, another branch’s on request, and reloads on a push', async () => {
    let pushes: unknown[] = [];
    const { api, requests } = fakeApi(({ path }) => {
      if (path === '/api/repos/r1') return { status: 200, body: repo };
      if (path === '/api/repos/r1/branches') return { status: 200, body: [branch('feature'), branch('main', true)] };
      if (path.startsWith('/api/repos/r1/pushes')) return { status: 200, body: pushes };
      if (path === '/api/repos/r1/secrets' || path === '/api/repos/r1/webhooks') return { status: 200, body: [] };
      if (path.startsWith('/api/repos/r1/commits?branch=main')) return { status: 200, body: [commit('m1')] };
      if (path.startsWith('/api/repos/r1/commits?branch=feature')) return { status: 200, body: [commit('f1')] };
      return undefined;
    });
    const live = new LiveEvents(() => 'ws://host.test/ws', (url) => new FakeSocket(url) as unknown as WebSocket);
    const store = new RepoStore(api, 'r1');
    const stop = store.connect(live);
    expect(requests).toEqual([]);
    FakeSocket.latest().open();
    await expect.poll(() => store.commits.map((c) => c.sha)).toEqual(['m1']);
    expect(store.branches.map((b) => b.name)).toEqual(['main', 'feature']);

    await store.showBranch('feature');
    expect(store.commits.map((c) => c.sha)).toEqual(['f1']);

    pushes = [{ push_id: 'p1', source: 'git', received_at: '2026-12-01T10:05:00Z', ref: 'refs/heads/main', old_sha: 'a', new_sha: 'b' }];
    FakeSocket.latest().receive({ type: 'push.received', id: 9, payload: { repo_id: 'r1' } });
    await expect.poll(() => store.pushes.length).toBe(1);
    // The branch chosen stays chosen.
    expect(store.commits.map((c) => c.sha)).toEqual(['f1']);
    stop();
    live.close();
  });

  it('sets a secret by name with its value, lists names only, and shows a refusal as a sentence', async () => {
    let names: unknown[] = [];
    const { api, requests } = fakeApi(({ method, path }) => {
      if (method === 'PUT' && path === '/api/repos/r1/secrets/DEPLOY_TOKEN') {
        names = [{ name: 'DEPLOY_TOKEN', updated_at: '2026-12-01T10:00:00Z' }];
        return { status: 204 };
      }
      if (method === 'PUT') return { status: 400, body: { title: 'The request is invalid', status: 400, detail: "A secret's name is an environment variable name." } };
      if (path === '/api/repos/r1/secrets') return { status: 200, body: names };
      return undefined;
    });
    const store = new RepoStore(api, 'r1');
    expect(await store.setSecret(' DEPLOY_TOKEN ', 's3cret')).toBe(true);
    expect(requests[0]?.body).toEqual({ value: 's3cret' });
    expect(store.secrets.map((s) => s.name)).toEqual(['DEPLOY_TOKEN']);
    expect(await store.setSecret('9-lives', 'x')).toBe(false);
    expect(store.secretError).toBe("A secret's name is an environment variable name.");
  });

  it('adds a webhook and keeps its URL to show once; deleting it forgets it', async () => {
    const hook = { id: 'w1', repo_id: 'r1', pipeline: 'deploy', provider: 'github', has_secret: true, token: 't', url: 'http://h/api/webhooks/t', created_at: '2026-12-01T10:00:00Z' };
    let hooks: unknown[] = [];
    const { api, requests } = fakeApi(({ method, path }) => {
      if (method === 'POST' && path === '/api/repos/r1/webhooks') {
        hooks = [hook];
        return { status: 201, body: hook };
      }
      if (method === 'DELETE' && path === '/api/repos/r1/webhooks/w1') return { status: 204 };
      if (path === '/api/repos/r1/webhooks') return { status: 200, body: hooks };
      return undefined;
    });
    const store = new RepoStore(api, 'r1');
    expect(await store.addWebhook(' deploy ', 'github', 'shh')).toBe(true);
    expect(requests[0]?.body).toEqual({ pipeline: 'deploy', provider: 'github', secret: 'shh' });
    expect(store.madeWebhook?.url).toBe('http://h/api/webhooks/t');
    expect(await store.deleteWebhook('w1')).toBe(true);
    expect(store.webhooks).toEqual([]);
    expect(store.madeWebhook).toBeNull();
  });
});

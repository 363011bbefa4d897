import { call, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import type { LiveEvents } from '../live/live-events.svelte';
import { coalesced } from '../live/reload';

export type RepoDetails = Schemas['RepoResponse'];
export type Branch = Schemas['BranchInfo'];
export type Commit = Schemas['CommitInfo'];
export type Push = Schemas['PushResponse'];
export type Secret = Schemas['SecretResponse'];
export type Webhook = Schemas['WebhookResponse'];

/**
 * One repo's page: what it is (clone URL, default branch), its branches and the recent commits of
 * one of them, its pushes (kept current by `push.received`), the names of its secrets (set and
 * delete; values go in and never come back) and its webhooks.
 */
export class RepoStore {
  repo = $state<RepoDetails | null>(null);
  branches = $state.raw<Branch[]>([]);
  commits = $state.raw<Commit[]>([]);
  pushes = $state.raw<Push[]>([]);
  secrets = $state.raw<Secret[]>([]);
  webhooks = $state.raw<Webhook[]>([]);
  /** The branch whose commits are shown; null: the default branch. */
  branch = $state<string | null>(null);
  loading = $state(true);
  error = $state<string | null>(null);
  /** What is being changed (`secret`, `webhook`, …) and why the last change was refused. */
  busy = $state<string | null>(null);
  secretError = $state<string | null>(null);
  webhookError = $state<string | null>(null);
  /** The webhook just made: its URL (with its token) is shown once, to copy into the provider. */
  madeWebhook = $state<Webhook | null>(null);

  shownBranch = $derived(this.branch ?? this.repo?.default_branch ?? null);

  readonly repoId: string;
  readonly #api: Api;
  readonly reload: () => Promise<void>;

  constructor(api: Api, repoId: string) {
    this.#api = api;
    this.repoId = repoId;
    this.reload = coalesced(() => this.load());
  }

  connect(live: LiveEvents): () => void {
    const following = live.follow([`repo:${this.repoId}`], {
      event: (message) => {
        if (message.type === 'push.received' || message.type === 'repo.updated') void this.reload();
      },
      resync: () => void this.reload(),
    });
    void following.ready.then(() => this.reload());
    return () => following.stop();
  }

  #path() {
    return { params: { path: { id: this.repoId } } };
  }

  async load() {
    try {
      const [repo, branches, pushes, secrets, webhooks] = await Promise.all([
        call(this.#api.GET('/api/repos/{id}', this.#path())),
        call(this.#api.GET('/api/repos/{id}/branches', this.#path())),
        call(this.#api.GET('/api/repos/{id}/pushes', { params: { path: { id: this.repoId }, query: { limit: 20 } } })),
        call(this.#api.GET('/api/repos/{id}/secrets', this.#path())),
        call(this.#api.GET('/api/repos/{id}/webhooks', this.#path())),
      ]);
      this.repo = repo;
      this.branches = [...branches].sort((a, b) => Number(b.is_default) - Number(a.is_default) || b.committed_at.localeCompare(a.committed_at));
      this.pushes = pushes;
      this.secrets = secrets;
      this.webhooks = webhooks;
      this.error = null;
      await this.loadCommits();
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  async showBranch(name: string) {
    this.branch = name;
    await this.loadCommits();
  }

  async loadCommits() {
    const branch = this.shownBranch;
    if (!branch || !this.branches.some((known) => known.name === branch)) {
      this.commits = [];
      return;
    }
    try {
      this.commits = await call(this.#api.GET('/api/repos/{id}/commits', { params: { path: { id: this.repoId }, query: { branch, limit: 20 } } }));
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  /** Sets (or replaces) a secret; true when the host took it. */
  async setSecret(name: string, value: string): Promise<boolean> {
    return this.#change('secret', (error) => (this.secretError = error), async () => {
      await call(this.#api.PUT('/api/repos/{id}/secrets/{name}', { params: { path: { id: this.repoId, name: name.trim() } }, body: { value } }));
      this.secrets = await call(this.#api.GET('/api/repos/{id}/secrets', this.#path()));
    });
  }

  async deleteSecret(name: string): Promise<boolean> {
    return this.#change('secret', (error) => (this.secretError = error), async () => {
      await call(this.#api.DELETE('/api/repos/{id}/secrets/{name}', { params: { path: { id: this.repoId, name } } }));
      this.secrets = this.secrets.filter((secret) => secret.name !== name);
    });
  }

  async addWebhook(pipeline: string, provider: string, secret: string): Promise<boolean> {
    return this.#change('webhook', (error) => (this.webhookError = error), async () => {
      const body = { pipeline: pipeline.trim(), provider, ...(secret ? { secret } : {}) };
      this.madeWebhook = await call(this.#api.POST('/api/repos/{id}/webhooks', { params: { path: { id: this.repoId } }, body }));
      this.webhooks = await call(this.#api.GET('/api/repos/{id}/webhooks', this.#path()));
    });
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return this.#change('webhook', (error) => (this.webhookError = error), async () => {
      await call(this.#api.DELETE('/api/repos/{id}/webhooks/{webhookId}', { params: { path: { id: this.repoId, webhookId: id } } }));
      this.webhooks = this.webhooks.filter((webhook) => webhook.id !== id);
      if (this.madeWebhook?.id === id) this.madeWebhook = null;
    });
  }

  async #change(name: string, report: (error: string | null) => void, change: () => Promise<void>): Promise<boolean> {
    this.busy = name;
    report(null);
    try {
      await change();
      return true;
    } catch (error) {
      report(messageOf(error));
      return false;
    } finally {
      this.busy = null;
    }
  }
}

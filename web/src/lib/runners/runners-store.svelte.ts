import { call, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import type { LiveEvents } from '../live/live-events.svelte';
import { coalesced } from '../live/reload';

export type Runner = Schemas['RunnerResponse'];
export type RegistrationToken = Schemas['RunnerTokenResponse'];

/** What a runner is running, as a link the page can draw: a card's step or a pipeline run's. */
export interface CurrentStep {
  executionId: string;
  kind: string;
  subjectId: string | null;
}

/**
 * The remote runners (kept current by `runner.updated` and `runner.revoked` on the `runners` topic),
 * what each runs now, drain and revoke, and a fresh registration token for connecting a new one.
 */
export class RunnersStore {
  runners = $state.raw<Runner[]>([]);
  /** The executions runners run, by id, once looked up. */
  steps = $state.raw<Record<string, CurrentStep>>({});
  loading = $state(true);
  error = $state<string | null>(null);
  /** The runner whose drain or revoke is in flight. */
  busy = $state<string | null>(null);
  actionError = $state<string | null>(null);
  token = $state<RegistrationToken | null>(null);
  tokenError = $state<string | null>(null);
  makingToken = $state(false);

  readonly #api: Api;
  readonly reload: () => Promise<void>;

  constructor(api: Api) {
    this.#api = api;
    this.reload = coalesced(() => this.load());
  }

  connect(live: LiveEvents): () => void {
    const following = live.follow(['runners'], {
      event: (message) => {
        if (message.type === 'runner.updated' || message.type === 'runner.revoked') void this.reload();
      },
      resync: () => void this.reload(),
    });
    void following.ready.then(() => this.reload());
    return () => following.stop();
  }

  async load() {
    try {
      const runners = await call(this.#api.GET('/api/runners'));
      this.runners = [...runners].sort((a, b) => Number(b.connected) - Number(a.connected) || a.name.localeCompare(b.name));
      this.error = null;
      await this.#lookUp(runners.flatMap((runner) => runner.executions));
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  /** Asks the runner to take no new work, finish what it runs, and disconnect. */
  drain = (id: string) => this.#act(id, () => call(this.#api.POST('/api/runners/{id}/drain', { params: { path: { id } } })));

  /** Its credential stops working at once; the steps it ran fail. */
  revoke = (id: string) =>
    this.#act(id, async () => {
      await call(this.#api.DELETE('/api/runners/{id}', { params: { path: { id } } }));
      this.runners = this.runners.filter((runner) => runner.id !== id);
    });

  /** A registration token for one runner, good for an hour. */
  async makeToken(description: string) {
    this.makingToken = true;
    this.tokenError = null;
    try {
      this.token = await call(this.#api.POST('/api/runners/tokens', { body: { description: description.trim() || null, expires_in_minutes: 60, uses: 1 } }));
    } catch (error) {
      this.tokenError = messageOf(error);
    } finally {
      this.makingToken = false;
    }
  }

  async #act(id: string, action: () => Promise<unknown>) {
    this.busy = id;
    this.actionError = null;
    try {
      await action();
      await this.reload();
    } catch (error) {
      this.actionError = messageOf(error);
    } finally {
      this.busy = null;
    }
  }

  async #lookUp(ids: string[]) {
    const missing = ids.filter((id) => !this.steps[id]);
    if (missing.length === 0) return;
    const found = await Promise.all(
      missing.map((id) =>
        call(this.#api.GET('/api/executions/{id}', { params: { path: { id } } })).then(
          (execution) => ({ executionId: id, kind: execution.kind, subjectId: execution.subject_id }),
          () => ({ executionId: id, kind: 'execution', subjectId: null }),
        ),
      ),
    );
    this.steps = { ...this.steps, ...Object.fromEntries(found.map((step) => [step.executionId, step])) };
  }
}

/** How long ago, in words a person reads at a glance. */
export function ago(at: string | null, now = Date.now()): string {
  if (!at) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toLocaleString();
}

/**
 * The command that connects a runner with this token: `--server` is the host's runner endpoint
 * (`Runners:Url`, a port of its own because gRPC needs HTTP/2) as the token tells it, with a wildcard
 * host (`0.0.0.0`, `[::]`, `*`, `+`) replaced by the one the browser reached. A host with none said
 * gets this host on 8081, the port the docs use; the page says so.
 */
export function connectCommand(token: string, runnerUrl: string | null = null, origin = location.origin): string {
  return `lazyaf-native-agent --server ${runnerServer(runnerUrl, origin)} --token ${token} --name my-runner --labels pool=bench`;
}

function runnerServer(runnerUrl: string | null, origin: string): string {
  const browser = new URL(origin);
  const configured = /^(https?):\/\/(\[[^\]]*\]|[^:/]+)(?::(\d+))?/.exec(runnerUrl?.trim() ?? '');
  if (!configured) return `${browser.protocol}//${browser.hostname}:8081`;
  const [, scheme, host, port] = configured;
  const wildcard = ['0.0.0.0', '[::]', '*', '+'].includes(host!);
  return `${scheme}://${wildcard ? browser.hostname : host}${port ? `:${port}` : ''}`;
}

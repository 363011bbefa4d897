import { call, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';

export type PlaygroundRun = Schemas['PlaygroundRunResponse'];
export type AgentCli = Schemas['AgentCliResponse'];
export type RecordedEvent = Schemas['AgentEventResponse'];
export type Diff = Schemas['RepoDiff'];

const kinds = ['session_started', 'assistant_text', 'tool_call', 'tool_result', 'usage', 'permission_request', 'result', 'raw'];
const finished = ['succeeded', 'failed', 'cancelled', 'timed_out'];

/**
 * The playground of one repo: try an agent on a task without a card. Starts a run, streams its
 * events (`GET …/events`, server-sent, replayed from the start), shows its diff once it ends, and
 * saves its work to a branch or cancels it.
 */
export class PlaygroundStore {
  agents = $state.raw<AgentCli[]>([]);
  agent = $state('claude-code');
  model = $state('');
  branch = $state('');
  task = $state('');
  run = $state<PlaygroundRun | null>(null);
  events = $state.raw<RecordedEvent[]>([]);
  diff = $state<Diff | null>(null);
  busy = $state<'start' | 'cancel' | 'save' | null>(null);
  error = $state<string | null>(null);
  saved = $state<string | null>(null);

  ended = $derived(!!this.run && finished.includes(this.run.state));
  models = $derived(this.agents.find((agent) => agent.kind === this.agent)?.models ?? []);

  readonly repoId: string;
  readonly #api: Api;
  readonly #open: (url: string) => EventSource;
  #source: EventSource | null = null;

  constructor(api: Api, repoId: string, open: (url: string) => EventSource = (url) => new EventSource(url)) {
    this.#api = api;
    this.repoId = repoId;
    this.#open = open;
  }

  async loadAgents() {
    try {
      this.agents = await call(this.#api.GET('/api/agents'));
      const available = this.agents.filter((agent) => agent.available);
      if (available.length > 0 && !available.some((agent) => agent.kind === this.agent)) this.agent = available[0]!.kind;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  start = () =>
    this.#act('start', async () => {
      this.stop();
      this.events = [];
      this.diff = null;
      this.saved = null;
      const body = { agent: this.agent, task: this.task.trim(), ...(this.model ? { model: this.model } : {}), ...(this.branch.trim() ? { branch: this.branch.trim() } : {}) };
      this.run = await call(this.#api.POST('/api/repos/{id}/playground/runs', { params: { path: { id: this.repoId } }, body }));
      this.#follow(this.run.id);
    });

  cancel = () =>
    this.#act('cancel', async () => {
      if (this.run) this.run = await call(this.#api.POST('/api/playground/runs/{rid}/cancel', { params: { path: { rid: this.run.id } } }));
    });

  save = (branch: string) =>
    this.#act('save', async () => {
      if (!this.run) return;
      const saved = await call(this.#api.POST('/api/playground/runs/{rid}/save', { params: { path: { rid: this.run.id } }, body: { branch: branch.trim() } }));
      this.run = saved.run;
      this.saved = `Saved to ${saved.branch} at ${saved.sha.slice(0, 7)} (${saved.outcome.replace('_', ' ')}).`;
    });

  stop() {
    this.#source?.close();
    this.#source = null;
  }

  #follow(rid: string) {
    const source = this.#open(`/api/playground/runs/${encodeURIComponent(rid)}/events`);
    this.#source = source;
    const add = (message: MessageEvent<string>) => {
      const recorded = JSON.parse(message.data) as RecordedEvent;
      if (!this.events.some((known) => known.seq === recorded.seq)) this.events = [...this.events, recorded];
    };
    for (const kind of kinds) source.addEventListener(kind, add as EventListener);
    source.addEventListener('end', () => {
      // The stream ends after this; an EventSource would dial again.
      source.close();
      void this.#settle(rid);
    });
  }

  async #settle(rid: string) {
    try {
      this.run = await call(this.#api.GET('/api/playground/runs/{rid}', { params: { path: { rid } } }));
      if (this.run.state === 'succeeded') this.diff = await call(this.#api.GET('/api/playground/runs/{rid}/diff', { params: { path: { rid } } }));
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  async #act(name: 'start' | 'cancel' | 'save', action: () => Promise<void>) {
    this.busy = name;
    this.error = null;
    try {
      await action();
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = null;
    }
  }
}

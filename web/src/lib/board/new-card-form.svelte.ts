import { call, type Api, type Schemas } from '../api/client';
import { ApiError, messageOf, sentence } from '../api/problem';
import { sendAs, type CreateCardBody } from '../api/requests';

export type StepType = CreateCardBody['step_type'];
export type AgentKind = Schemas['AgentCliResponse'];

/** The create-card form: its fields per step type, the agents to pick from, and the host's objections. */
export class NewCardForm {
  title = $state('');
  description = $state('');
  stepType = $state<StepType>('script');
  command = $state('');
  image = $state('');
  agent = $state('');
  model = $state('');
  branch = $state('');
  timeoutSeconds = $state('');
  requires = $state('');
  autoStart = $state(false);
  /** Script and container steps commit only when asked; an agent's work is committed anyway. */
  commit = $state(false);

  agents = $state<AgentKind[]>([]);
  agentsError = $state<string | null>(null);
  saving = $state(false);
  /** The host's sentence for what was wrong, and the field errors by field (`title`, `step_config.command`, …). */
  error = $state<string | null>(null);
  fieldErrors = $state<Record<string, string[]>>({});

  models = $derived(this.agents.find((kind) => kind.kind === this.agent)?.models ?? []);
  /** The `command` agent runs a program of your own, so it needs the command field too. */
  needsCommand = $derived(this.stepType !== 'agent' || this.agent === 'command');

  readonly #api: Api;
  readonly #repoId: string;

  constructor(api: Api, repoId: string) {
    this.#api = api;
    this.#repoId = repoId;
  }

  async loadAgents() {
    try {
      this.agents = await call(this.#api.GET('/api/agents'));
      this.agentsError = null;
      if (!this.agent) this.agent = (this.agents.find((kind) => kind.available) ?? this.agents[0])?.kind ?? '';
    } catch (error) {
      this.agentsError = messageOf(error);
    }
  }

  body(): CreateCardBody {
    const config: Record<string, unknown> = {};
    if (this.stepType === 'docker') config.image = this.image.trim();
    if (this.stepType === 'agent') {
      config.agent = this.agent;
      if (this.model) config.model = this.model;
    }
    if (this.needsCommand) config.command = this.command;
    if (this.stepType !== 'agent' && this.commit) config.commit = true;
    const timeout = this.timeoutSeconds.trim();
    if (timeout) config.timeout_seconds = Number(timeout);
    const labels = this.requires.split(',').map((label) => label.trim()).filter(Boolean);
    return {
      title: this.title,
      description: this.description,
      step_type: this.stepType,
      step_config: config,
      ...(this.branch.trim() ? { branch_name: this.branch.trim() } : {}),
      ...(labels.length ? { requires: labels } : {}),
      auto_start: this.autoStart,
    };
  }

  /** Creates the card; null when the host refused it (then `error` and `fieldErrors` say why). */
  async submit(): Promise<Schemas['CardResponse'] | null> {
    this.saving = true;
    this.error = null;
    this.fieldErrors = {};
    try {
      return await call(
        this.#api.POST('/api/repos/{repoId}/cards', { params: { path: { repoId: this.#repoId } }, body: sendAs(this.body()) }),
      );
    } catch (error) {
      this.error = error instanceof ApiError ? sentence(error.problem) : messageOf(error);
      this.fieldErrors = error instanceof ApiError ? (error.problem.errors ?? {}) : {};
      return null;
    } finally {
      this.saving = false;
    }
  }

  reset() {
    this.title = '';
    this.description = '';
    this.command = '';
    this.image = '';
    this.branch = '';
    this.timeoutSeconds = '';
    this.requires = '';
    this.autoStart = false;
    this.commit = false;
    this.error = null;
    this.fieldErrors = {};
  }
}

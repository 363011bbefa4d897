import { call, type Api, type Schemas } from '../api/client';
import { ApiError, messageOf, sentence } from '../api/problem';
import { sendAs } from '../api/requests';
import type { Following, LiveEvents, LiveMessage } from '../live/live-events.svelte';
import { userTriggers } from '../board/card-moves';

export type Card = Schemas['CardResponse'];
export type Execution = Schemas['ExecutionResponse'];
export type Attempt = Schemas['AttemptEntry'];
export type Diff = Schemas['RepoDiff'];
export type Transition = Schemas['CardTransitionResponse'];
export type Approval = Schemas['ApprovalResponse'];
// A follow-up needs a message, so it is no quick move on the board, but the card page offers it.
type Trigger = (typeof userTriggers)[number] | 'follow_up';

const finished: Execution['state'][] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

/**
 * One card's page: the card as the host says (reloaded on each of its events), the execution of
 * its newest attempt (kept current by `execution.updated`), its diff, and what its buttons do.
 */
export class CardStore {
  card = $state<Card | null>(null);
  execution = $state<Execution | null>(null);
  diff = $state<Diff | null>(null);
  /** Every status change: from, to, what moved it, who and why. */
  history = $state<Transition[]>([]);
  diffError = $state<string | null>(null);
  loading = $state(true);
  error = $state<string | null>(null);
  deleted = $state(false);
  /** The action in flight (`start`, `approve`, …), so its button can say so. */
  busy = $state<string | null>(null);
  actionError = $state<string | null>(null);
  /** Files that conflicted when approving. */
  conflicts = $state<string[]>([]);
  /** The tool-permission requests of the newest attempt (an agent step with `approval: true`). */
  approvals = $state.raw<Approval[]>([]);
  pendingApprovals = $derived(this.approvals.filter((approval) => approval.state === 'pending'));

  allowed = $derived(new Set((this.card?.allowed_transitions ?? []).map((move) => move.trigger)));
  latest = $derived<Attempt | undefined>(this.card?.attempts.at(-1));
  running = $derived(!!this.execution && !finished.includes(this.execution.state));

  readonly cardId: string;
  readonly #api: Api;
  #executionFollow: Following | null = null;
  #followedExecution: string | null = null;
  #live: LiveEvents | null = null;

  constructor(api: Api, cardId: string) {
    this.#api = api;
    this.cardId = cardId;
  }

  can(trigger: Trigger): boolean {
    return this.allowed.has(trigger);
  }

  /** Follows the card on `/ws`, then loads it. */
  connect(live: LiveEvents): () => void {
    this.#live = live;
    const following = live.follow([`card:${this.cardId}`], {
      event: (message) => this.#onEvent(message),
      resync: () => void this.load(),
    });
    void following.ready.then(() => this.load());
    return () => {
      following.stop();
      this.#executionFollow?.stop();
      this.#executionFollow = null;
      this.#followedExecution = null;
    };
  }

  async load() {
    try {
      const path = { params: { path: { id: this.cardId } } };
      const [card, history] = await Promise.all([call(this.#api.GET('/api/cards/{id}', path)), call(this.#api.GET('/api/cards/{id}/events', path))]);
      this.history = history;
      this.#show(card);
      this.error = null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.deleted = true;
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  /** Whether the card's branch is on the host yet: a card gets its branch name when it starts, the branch when its step pushes. */
  pushed = $derived(
    !!this.card?.branch_name &&
      (this.card.status === 'in_review' ||
        this.card.status === 'done' ||
        this.card.attempts.some((attempt) => attempt.outcome === 'succeeded') ||
        !!this.execution?.commit_sha),
  );

  async loadDiff() {
    if (!this.pushed) return;
    try {
      this.diff = await call(this.#api.GET('/api/cards/{id}/diff', { params: { path: { id: this.cardId } } }));
      this.diffError = null;
    } catch (error) {
      this.diffError = messageOf(error);
    }
  }

  start = () => this.#act('start', () => call(this.#api.POST('/api/cards/{id}/start', this.#path())));
  retry = () => this.#act('retry', () => call(this.#api.POST('/api/cards/{id}/retry', this.#path())));
  approve = (target: string) =>
    this.#act('approve', () =>
      call(this.#api.POST('/api/cards/{id}/approve', { ...this.#path(), body: sendAs(target.trim() ? { target_branch: target.trim() } : {}) })),
    );
  reject = (reason: string) =>
    this.#act('reject', () => call(this.#api.POST('/api/cards/{id}/reject', { ...this.#path(), body: sendAs(reason.trim() ? { reason: reason.trim() } : {}) })));
  followUp = (message: string) =>
    this.#act('follow-up', () => call(this.#api.POST('/api/cards/{id}/follow-up', { ...this.#path(), body: { message } })));

  async cancel() {
    const executionId = this.execution?.id;
    if (!executionId) return;
    await this.#act('cancel', async () => {
      const execution = await call(this.#api.POST('/api/executions/{id}/cancel', { params: { path: { id: executionId } } }));
      this.execution = execution;
      return null;
    });
  }

  #path() {
    return { params: { path: { id: this.cardId } } };
  }

  /** Runs an action; its answer (the card) is shown at once, a refusal is kept as a sentence. */
  async #act(name: string, action: () => Promise<Card | null>): Promise<boolean> {
    this.busy = name;
    this.actionError = null;
    this.conflicts = [];
    try {
      const card = await action();
      if (card) this.#show(card);
      return true;
    } catch (error) {
      this.actionError = error instanceof ApiError ? sentence(error.problem) : messageOf(error);
      if (error instanceof ApiError) this.conflicts = error.problem.conflicting_paths ?? [];
      return false;
    } finally {
      this.busy = null;
    }
  }

  #show(card: Card) {
    const changed = card.branch_name !== this.card?.branch_name || card.status !== this.card?.status;
    const first = this.card === null;
    this.card = card;
    const executionId = card.attempts.at(-1)?.execution_id ?? null;
    if (executionId && executionId !== this.#followedExecution) void this.#followExecution(executionId, !first);
    if (changed) void this.loadDiff();
  }

  /**
   * Follows the newest attempt's execution. A card names a new attempt's execution a moment before
   * Execution has made it, so for an attempt that just appeared the store waits for the
   * execution's first event (briefly) before asking for it; one asked for too early (404) is
   * loaded at its first event.
   */
  async #followExecution(id: string, isNew: boolean) {
    this.#followedExecution = id;
    this.#executionFollow?.stop();
    let arrived: () => void = () => {};
    const first = new Promise<void>((done) => (arrived = done));
    this.#executionFollow =
      this.#live?.follow([`execution:${id}`], {
        event: (message) => {
          arrived();
          this.#onEvent(message);
          if (this.execution?.id !== id && this.#followedExecution === id && message.type.startsWith('execution.')) void this.#loadExecution(id);
        },
        resync: () => void this.#loadExecution(id),
      }) ?? null;
    await this.#executionFollow?.ready;
    if (isNew) await Promise.race([first, new Promise((done) => setTimeout(done, 1500))]);
    if (this.execution?.id !== id) await this.#loadExecution(id);
  }

  /** Allows or denies a pending request; the agent goes on at once. False with the reason when refused. */
  async answer(requestId: string, decision: 'allow' | 'deny', message = ''): Promise<boolean> {
    const executionId = this.execution?.id;
    if (!executionId) return false;
    const done = await this.#act(`approval:${requestId}`, async () => {
      await call(
        this.#api.POST('/api/executions/{id}/approvals/{requestId}', {
          params: { path: { id: executionId, requestId } },
          body: { decision, ...(message.trim() ? { message: message.trim() } : {}) },
        }),
      );
      return null;
    });
    await this.#loadApprovals(executionId);
    return done;
  }

  async #loadApprovals(id: string) {
    if (this.card?.step_type !== 'agent') return;
    try {
      const approvals = await call(this.#api.GET('/api/executions/{id}/approvals', { params: { path: { id } } }));
      if (this.card?.attempts.at(-1)?.execution_id === id) this.approvals = approvals;
    } catch (error) {
      this.actionError = messageOf(error);
    }
  }

  async #loadExecution(id: string) {
    try {
      const execution = await call(this.#api.GET('/api/executions/{id}', { params: { path: { id } } }));
      if (this.card?.attempts.at(-1)?.execution_id === id) this.execution = execution;
      await this.#loadApprovals(id);
    } catch (error) {
      // Not made yet: its first event loads it.
      if (!(error instanceof ApiError && error.status === 404)) this.actionError = messageOf(error);
    }
  }

  #onEvent(message: LiveMessage) {
    if (message.type === 'card.deleted') {
      if (message.payload.card_id === this.cardId) this.deleted = true;
      return;
    }
    if (message.type === 'card.updated') {
      if ((message.payload.card as { id: string }).id === this.cardId) void this.load();
      return;
    }
    if (message.type === 'approval.requested' || (message.type === 'agent.event' && this.pendingApprovals.length > 0)) {
      const id = message.payload.execution_id as string | undefined;
      if (id && id === this.execution?.id) void this.#loadApprovals(id);
      return;
    }
    if (message.type === 'execution.updated') {
      const execution = message.payload.execution as Partial<Execution> & { id: string };
      if (this.execution && execution.id === this.execution.id) this.execution = { ...this.execution, ...execution };
    }
  }
}

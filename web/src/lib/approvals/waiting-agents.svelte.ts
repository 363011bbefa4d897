import { call, everyPage, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import type { Following, LiveEvents, LiveMessage } from '../live/live-events.svelte';

export type Approval = Schemas['ApprovalResponse'];

/** A tool-permission request an agent waits on, as `approval.requested` tells it. */
export interface WaitingRequest {
  executionId: string;
  requestId: string;
  kind: string;
  subjectId: string | null;
  repoId: string;
  toolName: string;
  summary: string;
  timesOutAt: string;
}

const finished = ['succeeded', 'failed', 'cancelled', 'timed_out'];
const soundKey = 'lazyaf.sound';

/**
 * The agents waiting for a person, on every page: the `approval.requested` events of every repo the
 * board knows, dropped once answered (here or on a card page), timed out, or their execution ended.
 * The page title counts them and a short tone sounds for each new one, unless turned off.
 */
export class WaitingAgents {
  waiting = $state.raw<WaitingRequest[]>([]);
  sound = $state(true);
  /** Why the last answer was refused. */
  error = $state<string | null>(null);

  count = $derived(this.waiting.length);

  readonly #api: Api;
  readonly #storage: Storage;
  readonly #chime: () => void;
  #following: Following | null = null;
  #followed = '';
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(api: Api, storage: Storage = localStorage, chime: () => void = playChime) {
    this.#api = api;
    this.#storage = storage;
    this.#chime = chime;
    this.sound = storage.getItem(soundKey) !== 'off';
  }

  toggleSound() {
    this.sound = !this.sound;
    this.#storage.setItem(soundKey, this.sound ? 'on' : 'off');
  }

  /** Follows these repos (the set replaces the one before); returns the stop for everything. */
  watch(live: LiveEvents, repoIds: string[]): () => void {
    const topics = [...new Set(repoIds)].sort().map((id) => `repo:${id}`);
    const key = topics.join(',');
    if (key !== this.#followed) {
      this.#following?.stop();
      const before = new Set(this.#followed.split(',').filter(Boolean));
      this.#followed = key;
      this.#following = topics.length === 0 ? null : live.follow(topics, { event: (message) => this.receive(message), resync: () => void this.recheck() });
      const added = topics.filter((topic) => !before.has(topic)).map((topic) => topic.slice('repo:'.length));
      void this.#following?.ready.then(() => this.catchUp(added));
    }
    this.#timer ??= setInterval(() => this.#expire(), 1000);
    return () => this.stop();
  }

  stop() {
    this.#following?.stop();
    this.#following = null;
    this.#followed = '';
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  receive(message: LiveMessage) {
    if (message.type === 'approval.requested') {
      const p = message.payload as Record<string, string | null>;
      const request: WaitingRequest = {
        executionId: p.execution_id!,
        requestId: p.request_id!,
        kind: p.kind ?? '',
        subjectId: p.subject_id ?? null,
        repoId: p.repo_id ?? '',
        toolName: p.tool_name ?? 'tool',
        summary: p.summary ?? '',
        timesOutAt: p.times_out_at ?? '',
      };
      if (this.waiting.some((known) => known.executionId === request.executionId && known.requestId === request.requestId)) return;
      this.waiting = [...this.waiting, request];
      if (this.sound) this.#chime();
      return;
    }
    if (message.type === 'execution.updated') {
      const execution = message.payload.execution as { id: string; state: string };
      if (finished.includes(execution.state)) this.waiting = this.waiting.filter((request) => request.executionId !== execution.id);
      else if (this.waiting.some((request) => request.executionId === execution.id)) void this.recheck(execution.id);
    }
  }

  /** A request was answered somewhere: it no longer waits. */
  answered(executionId: string, requestId: string) {
    this.waiting = this.waiting.filter((request) => !(request.executionId === executionId && request.requestId === requestId));
  }

  async answer(request: WaitingRequest, decision: 'allow' | 'deny', message = ''): Promise<boolean> {
    this.error = null;
    try {
      await call(
        this.#api.POST('/api/executions/{id}/approvals/{requestId}', {
          params: { path: { id: request.executionId, requestId: request.requestId } },
          body: { decision, ...(message.trim() ? { message: message.trim() } : {}) },
        }),
      );
      this.answered(request.executionId, request.requestId);
      return true;
    } catch (error) {
      this.error = messageOf(error);
      // Answered elsewhere meanwhile (409): it no longer waits either way.
      await this.recheck(request.executionId);
      return false;
    }
  }

  /**
   * Finds the requests that were already waiting before this page followed the repos: the agent
   * cards in progress, their newest attempt's pending requests. (Events only tell what comes next.)
   */
  async catchUp(repoIds: string[]) {
    for (const repoId of repoIds) {
      try {
        const cards = await everyPage((cursor) =>
          this.#api.GET('/api/repos/{repoId}/cards', { params: { path: { repoId }, query: { status: 'in_progress', cursor } } }),
        );
        for (const summary of cards.filter((card) => card.status === 'in_progress' && card.step_type === 'agent')) {
          const card = await call(this.#api.GET('/api/cards/{id}', { params: { path: { id: summary.id } } }));
          const executionId = card.attempts.at(-1)?.execution_id;
          if (!executionId) continue;
          const approvals = await call(this.#api.GET('/api/executions/{id}/approvals', { params: { path: { id: executionId } } }));
          const found = approvals
            .filter((approval) => approval.state === 'pending')
            .filter((approval) => !this.waiting.some((known) => known.executionId === executionId && known.requestId === approval.request_id))
            .map((approval) => ({
              executionId,
              requestId: approval.request_id,
              kind: 'card',
              subjectId: card.id,
              repoId,
              toolName: approval.tool_name,
              summary: approval.summary,
              timesOutAt: '',
            }));
          if (found.length > 0) this.waiting = [...this.waiting, ...found];
        }
      } catch {
        // A repo or card gone meanwhile: nothing of it waits.
      }
    }
  }

  /** Asks the host which of the waiting requests (of one execution, or all) are still pending. */
  async recheck(executionId?: string) {
    const executions = [...new Set(this.waiting.map((request) => request.executionId))].filter((id) => !executionId || id === executionId);
    for (const id of executions) {
      try {
        const pending = new Set(
          (await call(this.#api.GET('/api/executions/{id}/approvals', { params: { path: { id } } }))).filter((a) => a.state === 'pending').map((a) => a.request_id),
        );
        this.waiting = this.waiting.filter((request) => request.executionId !== id || pending.has(request.requestId));
      } catch {
        // Gone with its execution.
        this.waiting = this.waiting.filter((request) => request.executionId !== id);
      }
    }
  }

  #expire(now = Date.now()) {
    const left = this.waiting.filter((request) => !request.timesOutAt || Date.parse(request.timesOutAt) > now);
    if (left.length !== this.waiting.length) this.waiting = left;
  }
}

/** A short, quiet two-tone chime; silently nothing where the browser has no audio. */
function playChime() {
  try {
    const audio = new AudioContext();
    const gain = audio.createGain();
    gain.gain.value = 0.08;
    gain.connect(audio.destination);
    [660, 880].forEach((frequency, index) => {
      const tone = audio.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(audio.currentTime + index * 0.15);
      tone.stop(audio.currentTime + index * 0.15 + 0.12);
    });
    setTimeout(() => void audio.close(), 600);
  } catch {
    // No audio here.
  }
}

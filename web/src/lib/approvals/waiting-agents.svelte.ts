import { call, everyPage, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import type { Following, LiveEvents, LiveMessage } from '../live/live-events.svelte';

export type Approval = Schemas['ApprovalResponse'];
type QueuedApproval = Schemas['QueuedApprovalResponse'];

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

const keyOf = (request: WaitingRequest) => `${request.executionId}/${request.requestId}`;

function fromQueue(approval: QueuedApproval): WaitingRequest {
  return {
    executionId: approval.execution_id,
    requestId: approval.request_id,
    kind: approval.kind,
    subjectId: approval.subject_id,
    repoId: approval.repo_id,
    toolName: approval.tool_name,
    summary: approval.summary,
    timesOutAt: '',
  };
}

const finished = ['succeeded', 'failed', 'cancelled', 'timed_out'];
const soundKey = 'lazyaf.sound';

/**
 * The agents waiting for a person, on every page: what the host's approval queue holds when the page opens
 * (and after a reconnect), then the `approval.requested` events of every repo the board knows; dropped once
 * answered (here, on the approvals page or on a card page), timed out, or their execution ended.
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
      this.#following = topics.length === 0 ? null : live.follow(topics, { event: (message) => this.receive(message), resync: () => void this.refresh() });
      const added = topics.filter((topic) => !before.has(topic)).map((topic) => topic.slice('repo:'.length));
      if (added.length > 0) void this.#following?.ready.then(() => this.refresh());
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
      else if (this.waiting.some((request) => request.executionId === execution.id)) void this.refresh();
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
      await this.refresh();
      return false;
    }
  }

  /**
   * Asks the host what waits now, across every execution (`GET /api/approvals?state=pending`): finds the requests
   * that were waiting before this page followed the repos (events only tell what comes next), and drops those
   * answered or ended meanwhile. A request that arrives while the host is asked is kept.
   */
  async refresh() {
    const known = new Set(this.waiting.map(keyOf));
    let pending: QueuedApproval[];
    try {
      pending = await everyPage((cursor) => this.#api.GET('/api/approvals', { params: { query: { state: 'pending', cursor } } }));
    } catch {
      // The host is away; the next event or reconnect asks again.
      return;
    }
    const now = new Set(pending.map((approval) => `${approval.execution_id}/${approval.request_id}`));
    const kept = this.waiting.filter((request) => !known.has(keyOf(request)) || now.has(keyOf(request)));
    const keptKeys = new Set(kept.map(keyOf));
    const found = pending.filter((approval) => !keptKeys.has(`${approval.execution_id}/${approval.request_id}`)).map(fromQueue);
    if (found.length > 0 || kept.length !== this.waiting.length) this.waiting = [...kept, ...found];
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

import { call, num, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import type { LiveEvents } from '../live/live-events.svelte';
import { coalesced } from '../live/reload';

export type Run = Schemas['RunResponse'];
export type RunStep = Schemas['RunStepView'];
export type StepAttempt = Schemas['AttemptView'];

export const finishedRun = ['passed', 'failed', 'cancelled'];

/**
 * One pipeline run, reloaded whenever it or one of its step executions changes (`pipeline_run:{id}`
 * and `pipeline_step:{id}` on `/ws`), with the step and attempt the page shows the log of.
 */
export class RunStore {
  run = $state<Run | null>(null);
  loading = $state(true);
  error = $state<string | null>(null);
  cancelling = $state(false);
  actionError = $state<string | null>(null);
  /** The step chosen by the person; until then the one worth looking at (see `shownStep`). */
  chosenStep = $state<string | null>(null);
  /** The attempt chosen for the shown step; null: its latest. */
  chosenAttempt = $state<number | null>(null);

  finished = $derived(!!this.run && finishedRun.includes(this.run.state));

  /** The chosen step, else the first failed, else the running, else the last that ran. */
  shownStep = $derived.by<RunStep | null>(() => {
    const steps = this.run?.steps ?? [];
    const chosen = steps.find((step) => step.id === this.chosenStep);
    if (chosen) return chosen;
    return (
      steps.find((step) => step.state === 'failed') ??
      steps.find((step) => step.state === 'running' || step.state === 'pending') ??
      [...steps].reverse().find((step) => step.attempts.length > 0) ??
      null
    );
  });

  shownAttempt = $derived.by<StepAttempt | null>(() => {
    const attempts = this.shownStep?.attempts ?? [];
    return attempts.find((attempt) => num(attempt.attempt) === this.chosenAttempt) ?? attempts.at(-1) ?? null;
  });

  readonly runId: string;
  readonly #api: Api;
  readonly reload: () => Promise<void>;

  constructor(api: Api, runId: string) {
    this.#api = api;
    this.runId = runId;
    this.reload = coalesced(() => this.load());
  }

  connect(live: LiveEvents): () => void {
    const following = live.follow([`pipeline_run:${this.runId}`, `pipeline_step:${this.runId}`], {
      event: (message) => {
        if (message.type === 'pipeline_run.updated' || message.type === 'execution.updated') void this.reload();
      },
      resync: () => void this.reload(),
    });
    void following.ready.then(() => this.reload());
    return () => following.stop();
  }

  async load() {
    try {
      this.run = await call(this.#api.GET('/api/pipeline-runs/{id}', { params: { path: { id: this.runId } } }));
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  select(stepId: string) {
    this.chosenStep = stepId;
    this.chosenAttempt = null;
  }

  async cancel() {
    this.cancelling = true;
    this.actionError = null;
    try {
      this.run = await call(this.#api.POST('/api/pipeline-runs/{id}/cancel', { params: { path: { id: this.runId } } }));
    } catch (error) {
      this.actionError = messageOf(error);
    } finally {
      this.cancelling = false;
    }
  }
}

/** How long something took, or has been taking. */
export function took(startedAt: string | null, finishedAt: string | null, now = Date.now()): string {
  if (!startedAt) return '';
  const seconds = Math.max(0, ((finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt)) / 1000);
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

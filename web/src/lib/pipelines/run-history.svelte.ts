import { call, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import type { LiveEvents } from '../live/live-events.svelte';
import { coalesced } from '../live/reload';

export type Run = Schemas['RunResponse'];

/** A repo's pipeline runs, newest first (of one pipeline when named), kept current by `pipeline_run.updated`. */
export class RunHistory {
  runs = $state.raw<Run[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);

  readonly repoId: string;
  readonly pipeline: string | null;
  readonly #api: Api;
  readonly reload: () => Promise<void>;

  constructor(api: Api, repoId: string, pipeline: string | null = null) {
    this.#api = api;
    this.repoId = repoId;
    this.pipeline = pipeline;
    this.reload = coalesced(() => this.load());
  }

  /** The newest run of each pipeline, by name. */
  latestByPipeline = $derived.by(() => {
    const latest = new Map<string, Run>();
    for (const run of this.runs) if (!latest.has(run.pipeline)) latest.set(run.pipeline, run);
    return latest;
  });

  connect(live: LiveEvents): () => void {
    const following = live.follow([`repo:${this.repoId}`], {
      event: (message) => {
        if (message.type !== 'pipeline_run.updated') return;
        const run = message.payload.run as { pipeline?: string } | undefined;
        if (!this.pipeline || run?.pipeline === this.pipeline) void this.reload();
      },
      resync: () => void this.reload(),
    });
    void following.ready.then(() => this.reload());
    return () => following.stop();
  }

  async load() {
    try {
      const query: { repo_id: string; pipeline?: string } = { repo_id: this.repoId };
      if (this.pipeline) query.pipeline = this.pipeline;
      this.runs = await call(this.#api.GET('/api/pipeline-runs', { params: { query } }));
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  /** Puts a run the page started at the top at once, before its event arrives. */
  put(run: Run) {
    this.runs = [run, ...this.runs.filter((known) => known.id !== run.id)];
  }
}

import { call, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';

export type Pipeline = Schemas['PipelineResponse'];

/**
 * A repo's pipelines as its default branch sees them: the `.lazyaf/pipelines/` files and the ones
 * stored in LazyAF. A file and a stored pipeline of the same name are both listed; the file is what
 * a push or card on that branch runs.
 */
export class PipelinesStore {
  stored = $state.raw<Pipeline[]>([]);
  files = $state.raw<Pipeline[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);
  /** Why the branch's files could not be read (an empty repo has no default branch yet). */
  filesError = $state<string | null>(null);

  all = $derived([...this.files, ...this.stored].sort((a, b) => a.name.localeCompare(b.name) || a.source.localeCompare(b.source)));

  readonly repoId: string;
  readonly #api: Api;

  constructor(api: Api, repoId: string) {
    this.#api = api;
    this.repoId = repoId;
  }

  /** The pipeline of that name as the page shows it: the stored one (editable) before the file (read here, edited in the repo). */
  find(name: string): { stored: Pipeline | undefined; file: Pipeline | undefined } {
    return { stored: this.stored.find((p) => p.name === name), file: this.files.find((p) => p.name === name) };
  }

  async load() {
    const path = { params: { path: { repoId: this.repoId } } };
    try {
      const [stored, files] = await Promise.all([
        call(this.#api.GET('/api/repos/{repoId}/pipelines', path)),
        call(this.#api.GET('/api/repos/{repoId}/lazyaf/pipelines', path)).then(
          (found) => {
            this.filesError = null;
            return found;
          },
          (error: unknown) => {
            this.filesError = messageOf(error);
            return [] as Pipeline[];
          },
        ),
      ]);
      this.stored = stored;
      this.files = files;
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }
}

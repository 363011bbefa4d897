import { call, type Api, type Schemas } from '../api/client';
import { messageOf } from '../api/problem';
import { fromViews, pipelineErrorsOf, type PipelineError } from './pipeline-errors';

export type Pipeline = Schemas['PipelineResponse'];
export type Definition = Schemas['DefinitionView'];
export type Run = Schemas['RunResponse'];

/** What a new pipeline starts as: one step that runs, so the graph and Run have something to show. */
export const starterYaml = `name: ci
description: Build and test every push
triggers:
  - push: {branches: [main]}
steps:
  - id: test
    name: Test
    config: {command: "echo testing"}
`;

/**
 * A pipeline being written: its YAML, checked by the host's validate endpoint as it changes (the
 * newest answer wins; older ones are dropped), the errors with their line and column, the last
 * valid definition (for the graph), and saving (create or update) and running.
 */
export class PipelineEditor {
  text = $state('');
  /** The text as stored on the host; null for a pipeline not saved yet. */
  saved = $state<string | null>(null);
  /** The stored pipeline's id once it has one. */
  id = $state<string | null>(null);
  errors = $state<PipelineError[]>([]);
  /** The pipeline as the host read it the last time it was valid. */
  definition = $state<Definition | null>(null);
  checking = $state(false);
  /** True once the current text has an answer from the host. */
  checked = $state(false);
  busy = $state<'save' | 'run' | null>(null);
  /** Why the last save or run failed, as a sentence (errors of the YAML go to `errors`). */
  failure = $state<string | null>(null);

  dirty = $derived(this.saved === null || this.text !== this.saved);
  valid = $derived(this.checked && this.errors.length === 0);

  readonly repoId: string;
  readonly #api: Api;
  readonly #delayMs: number;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #asked = 0;

  constructor(api: Api, repoId: string, existing: Pipeline | null = null, delayMs = 300) {
    this.#api = api;
    this.repoId = repoId;
    this.#delayMs = delayMs;
    if (existing) {
      this.id = existing.id;
      this.text = existing.yaml;
      this.saved = existing.yaml;
      this.errors = fromViews(existing.errors);
      this.definition = existing.definition;
      this.checked = true;
    } else {
      this.text = starterYaml;
      void this.validate();
    }
  }

  /** The person typed: check the new text once they pause. */
  edit(text: string) {
    this.text = text;
    this.checked = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.validate(), this.#delayMs);
  }

  /** Asks the host whether the text is a valid pipeline; only the answer to the latest question is kept. */
  async validate(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const asked = ++this.#asked;
    const text = this.text;
    this.checking = true;
    try {
      const definition = await call(this.#api.POST('/api/pipelines/validate', { body: { yaml: text } }));
      if (asked !== this.#asked) return;
      this.definition = definition;
      this.errors = [];
    } catch (error) {
      if (asked !== this.#asked) return;
      this.errors = pipelineErrorsOf(error) ?? [{ line: 1, column: 1, message: messageOf(error) }];
    } finally {
      if (asked === this.#asked) {
        this.checking = false;
        this.checked = true;
      }
    }
  }

  /** Stores the pipeline (new: created in the repo; else replaced); false with the reasons when the host refuses. */
  async save(): Promise<Pipeline | null> {
    this.busy = 'save';
    this.failure = null;
    const text = this.text;
    // The save's answer says what this text's errors are; a check still on its way is about the same text or an older one.
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#asked++;
    this.checking = false;
    try {
      const pipeline = this.id
        ? await call(this.#api.PUT('/api/pipelines/{id}', { params: { path: { id: this.id } }, body: { yaml: text } }))
        : await call(this.#api.POST('/api/repos/{repoId}/pipelines', { params: { path: { repoId: this.repoId } }, body: { yaml: text } }));
      this.id = pipeline.id;
      this.saved = text;
      this.definition = pipeline.definition;
      if (this.text === text) {
        this.errors = [];
        this.checked = true;
      }
      return pipeline;
    } catch (error) {
      const errors = pipelineErrorsOf(error);
      if (errors) this.errors = errors;
      else this.failure = messageOf(error);
      return null;
    } finally {
      this.busy = null;
    }
  }

  /**
   * Runs the pipeline on a branch (the repo's default when empty): a stored one by its id, a repo
   * file by its name, as that branch sees it.
   */
  async run(branch = ''): Promise<Run | null> {
    const name = this.definition?.name;
    if (!this.id && !name) return null;
    this.busy = 'run';
    this.failure = null;
    const body = branch.trim() ? { branch: branch.trim() } : {};
    try {
      return this.id
        ? await call(this.#api.POST('/api/pipelines/{id}/run', { params: { path: { id: this.id } }, body }))
        : await call(this.#api.POST('/api/repos/{repoId}/pipelines/{name}/run', { params: { path: { repoId: this.repoId, name: name! } }, body }));
    } catch (error) {
      this.failure = messageOf(error);
      return null;
    } finally {
      this.busy = null;
    }
  }

  stop() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#asked++;
  }
}

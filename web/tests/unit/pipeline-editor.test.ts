import { describe, expect, it } from 'vitest';
import { PipelineEditor } from '../../src/lib/pipelines/pipeline-editor.svelte';
import { describeError } from '../../src/lib/pipelines/pipeline-errors';
import { fakeApi } from './fakes';

const definition = (name: string) => ({ name, description: '', triggers: [], env: {}, max_attempts: 3, steps: [{ id: 'test', name: 'test', type: 'script', config: {}, timeout_seconds: null, retry: 0, requires: [], continue_in_context: false, needs: [], on_success: 'next', on_failure: 'stop', fix_step: false }] });
const invalid = (line: number, column: number, message: string) => ({
  status: 400,
  body: { type: 'urn:lazyaf:problem:invalid-pipeline', title: 'The pipeline is invalid', status: 400, detail: `${line}:${column}: ${message}`, errors: [{ line, column, message }] },
});

describe('PipelineEditor', () => {
  it('checks a new pipeline with the host and keeps the errors of a 400 with their line and column', async () => {
    const { api, requests } = fakeApi(({ body }) => {
      const yaml = (body as { yaml: string }).yaml;
      return yaml.includes('tset') ? invalid(6, 12, "step b needs 'tset', which is not a step id") : { status: 200, body: definition('ci') };
    });
    const editor = new PipelineEditor(api, 'r1', null, 0);
    await editor.validate();
    expect(editor.valid).toBe(true);
    expect(editor.definition?.name).toBe('ci');

    editor.edit('name: ci\nsteps:\n  - id: a\n    config: {command: x}\n  - id: b\n    needs: [tset]\n');
    expect(editor.checked).toBe(false);
    await editor.validate();
    expect(editor.errors).toEqual([{ line: 6, column: 12, message: "step b needs 'tset', which is not a step id" }]);
    expect(describeError(editor.errors[0]!)).toBe("Line 6, column 12: step b needs 'tset', which is not a step id.");
    // The graph keeps the last pipeline that read.
    expect(editor.definition?.name).toBe('ci');
    expect(requests.every((request) => request.path === '/api/pipelines/validate' && request.method === 'POST')).toBe(true);
  });

  it('keeps only the answer to the latest text when answers arrive out of order', async () => {
    const answers: ((answer: { status: number; body?: unknown }) => void)[] = [];
    const { api } = fakeApi(() => new Promise((done) => answers.push(done)));
    const editor = new PipelineEditor(api, 'r1', { id: 'p1', repo_id: 'r1', name: 'ci', source: 'db', path: null, valid: true, errors: [], definition: definition('ci'), yaml: 'x', created_at: null, updated_at: null }, 0);
    editor.text = 'first';
    const first = editor.validate();
    editor.text = 'second';
    const second = editor.validate();
    await new Promise((done) => setTimeout(done, 0));
    expect(answers).toHaveLength(2);
    answers[1]!({ status: 200, body: definition('second') });
    await second;
    answers[0]!(invalid(1, 1, 'old'));
    await first;
    expect(editor.errors).toEqual([]);
    expect(editor.definition?.name).toBe('second');
  });

  it('creates the pipeline, then runs it by its id; a refused save shows the errors and stores nothing', async () => {
    let created = false;
    const { api, requests } = fakeApi(({ method, path, body }) => {
      if (path === '/api/pipelines/validate') return { status: 200, body: definition('ci') };
      if (method === 'POST' && path === '/api/repos/r1/pipelines') {
        if ((body as { yaml: string }).yaml.includes('bad')) return invalid(2, 3, "unknown key 'bad'");
        created = true;
        return { status: 201, body: { id: 'p1', repo_id: 'r1', name: 'ci', source: 'db', path: null, valid: true, errors: [], definition: definition('ci'), yaml: 'name: ci', created_at: null, updated_at: null } };
      }
      if (path === '/api/pipelines/p1/run') return { status: 202, body: { id: 'run1' } };
      return undefined;
    });
    const editor = new PipelineEditor(api, 'r1', null, 0);
    editor.text = 'name: ci\nbad: 1';
    expect(await editor.save()).toBeNull();
    expect(editor.errors[0]?.message).toBe("unknown key 'bad'");
    expect(editor.id).toBeNull();
    expect(created).toBe(false);

    editor.text = 'name: ci';
    expect((await editor.save())?.id).toBe('p1');
    expect(editor.dirty).toBe(false);
    expect(editor.errors).toEqual([]);
    expect((await editor.run(' release '))?.id).toBe('run1');
    expect(requests.find((request) => request.path === '/api/pipelines/p1/run')?.body).toEqual({ branch: 'release' });
  });

  it('says why a save failed that was not about the YAML, as a sentence', async () => {
    const { api } = fakeApi(({ path }) =>
      path === '/api/pipelines/validate'
        ? { status: 200, body: definition('ci') }
        : { status: 409, body: { title: 'Pipeline exists', status: 409, detail: "Repo r1 already has a pipeline named 'ci'; update it with PUT /api/pipelines/{id}." } },
    );
    const editor = new PipelineEditor(api, 'r1', null, 0);
    expect(await editor.save()).toBeNull();
    expect(editor.failure).toBe("Repo r1 already has a pipeline named 'ci'; update it with PUT /api/pipelines/{id}.");
    expect(editor.errors).toEqual([]);
  });
});

describe('PipelineEditor of a repo file', () => {
  it('runs a pipeline file by its name, as the branch sees it', async () => {
    const { api, requests } = fakeApi(({ path }) => (path === '/api/repos/r1/pipelines/ci/run' ? { status: 202, body: { id: 'run2' } } : undefined));
    const editor = new PipelineEditor(api, 'r1', { id: null, repo_id: 'r1', name: 'ci', source: 'repo', path: '.lazyaf/pipelines/ci.yml', valid: true, errors: [], definition: definition('ci'), yaml: 'name: ci', created_at: null, updated_at: null }, 0);
    expect(editor.dirty).toBe(false);
    expect((await editor.run('feature/x'))?.id).toBe('run2');
    expect(requests[0]).toEqual({ method: 'POST', path: '/api/repos/r1/pipelines/ci/run', body: { branch: 'feature/x' } });
  });
});

import { call, type Api, type Schemas } from '../api/client';
import { ApiError, messageOf } from '../api/problem';
import type { LiveMessage } from '../live/live-events.svelte';

export type DebugSession = Schemas['SessionResponse'];

const over = ['ended', 'timed_out'];

/**
 * Starts a debug re-run of a run, pausing before the chosen steps (and after a failure); returns the new run's id.
 * A refusal is an Error saying why in the host's words (a 400 names the unknown steps in its field errors).
 */
export async function startDebugRerun(api: Api, runId: string, breakpoints: string[], pauseOnFailure: boolean): Promise<string> {
  try {
    const started = await call(
      api.POST('/api/pipeline-runs/{id}/debug-rerun', {
        params: { path: { id: runId } },
        body: { breakpoints, pause_on_failure: pauseOnFailure, commit: null },
      }),
    );
    return started.run_id;
  } catch (error) {
    const fields = error instanceof ApiError ? Object.values(error.problem.errors ?? {}).flat() : [];
    if (fields.length > 0) throw new Error(fields.join(' '));
    throw error;
  }
}

/**
 * The open debug session of a paused run (`GET /api/debug?run_id=`), reloaded on its
 * `debug_session.updated` events (which come on the run's topic), with what a person does with it.
 */
export class DebugSessionStore {
  session = $state<DebugSession | null>(null);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);

  readonly runId: string;
  readonly #api: Api;

  constructor(api: Api, runId: string) {
    this.#api = api;
    this.runId = runId;
  }

  /** Seconds until the session times out, from `now`; 0 once it has. */
  left(now = Date.now()): number {
    if (!this.session) return 0;
    return Math.max(0, Math.floor((Date.parse(this.session.expires_at) - now) / 1000));
  }

  receive(message: LiveMessage) {
    if (message.type !== 'debug_session.updated') return;
    const changed = message.payload.session as { id: string; run_id: string } | undefined;
    if (changed?.run_id === this.runId) void this.load();
  }

  async load() {
    try {
      const sessions = await call(this.#api.GET('/api/debug', { params: { query: { run_id: this.runId } } }));
      this.session = sessions.filter((session) => !over.includes(session.state)).at(-1) ?? null;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  resume = () => this.#act('resume', (id) => this.#api.POST('/api/debug/{sid}/resume', { params: { path: { sid: id } } }));
  abort = () => this.#act('abort', (id) => this.#api.POST('/api/debug/{sid}/abort', { params: { path: { sid: id } } }));
  extend = () => this.#act('extend', (id) => this.#api.POST('/api/debug/{sid}/extend', { params: { path: { sid: id } }, body: { seconds: null } }));
  rerunStep = () => this.#act('rerun-step', (id) => this.#api.POST('/api/debug/{sid}/rerun-step', { params: { path: { sid: id } } }));
  mark = (outcome: 'passed' | 'failed') =>
    this.#act(`mark-${outcome}`, (id) => this.#api.POST('/api/debug/{sid}/mark', { params: { path: { sid: id } }, body: { outcome } }));

  /** A one-time WebSocket address of the session's terminal, sized `cols`×`rows`. */
  async terminalUrl(cols: number, rows: number, origin = location.origin): Promise<string> {
    if (!this.session) throw new Error('no open debug session');
    const token = await call(this.#api.POST('/api/debug/{sid}/terminal-token', { params: { path: { sid: this.session.id } } }));
    const url = new URL(token.url, origin.replace(/^http/, 'ws'));
    url.searchParams.set('cols', String(cols));
    url.searchParams.set('rows', String(rows));
    return url.toString();
  }

  async #act(name: string, request: (sid: string) => Promise<{ data?: DebugSession; error?: unknown; response: Response }>): Promise<boolean> {
    if (!this.session) return false;
    this.busy = name;
    this.error = null;
    try {
      const changed = await call(request(this.session.id));
      this.session = over.includes(changed.state) ? null : changed;
      return true;
    } catch (error) {
      this.error = messageOf(error);
      await this.load();
      return false;
    } finally {
      this.busy = null;
    }
  }
}

/** A time left, as minutes and seconds. */
export function timeLeft(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

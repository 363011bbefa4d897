import { createApi, type Api } from '../../src/lib/api/client';
import type { Session } from '../../src/lib/session.svelte';

/** A WebSocket the test drives: it records what the client sends and delivers what the test says the host sent. */
export class FakeSocket {
  static made: FakeSocket[] = [];
  readyState: number = WebSocket.CONNECTING;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  readonly url: URL;

  constructor(url: string) {
    this.url = new URL(url);
    FakeSocket.made.push(this);
  }

  static latest(): FakeSocket {
    const socket = FakeSocket.made.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }

  open() {
    this.readyState = WebSocket.OPEN;
    this.onopen?.();
  }

  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  /** The host went away. */
  drop() {
    this.readyState = WebSocket.CLOSED;
    this.onclose?.();
  }

  close() {
    this.drop();
  }
}

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | undefined;
type Route = (request: Recorded) => Answer | Promise<Answer>;

/** The typed API client over a fake host: each request is recorded and answered by `route`. */
export function fakeApi(route: Route, session?: Session): { api: Api; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const fetchImpl = async (input: RequestInfo | URL) => {
    const request = input as Request;
    const text = await request.text();
    const recorded = { method: request.method, path: new URL(request.url).pathname + new URL(request.url).search, body: text ? JSON.parse(text) : undefined };
    requests.push(recorded);
    const answer = (await route(recorded)) ?? { status: 404, body: { title: 'Not found', status: 404 } };
    const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': type, ...answer.headers } });
  };
  return { api: createApi('http://host.test', fetchImpl as typeof fetch, session), requests };
}

export function summary(overrides: Record<string, unknown> = {}) {
  return {
    id: 'c1',
    repo_id: 'r1',
    title: 'Write the parser',
    status: 'todo',
    step_type: 'script',
    branch_name: null,
    position: 0,
    requires: [],
    auto_start: false,
    blocked_by: [],
    cost_usd: 0,
    created_at: '2026-12-01T10:00:00+00:00',
    updated_at: '2026-12-01T10:00:00+00:00',
    ...overrides,
  };
}

export function cardResponse(overrides: Record<string, unknown> = {}) {
  return {
    ...summary(),
    description: '',
    step_config: { command: 'make test' },
    base_branch: null,
    attempts: [],
    allowed_transitions: [],
    ...overrides,
  };
}

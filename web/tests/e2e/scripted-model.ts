import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the model: text, or a tool call the CLI then really makes. */
export type ScriptedTurn = { say: string } | { tool: string; input: Record<string, unknown> };

/**
 * A model endpoint on loopback speaking the Anthropic Messages API as server-sent events, so the
 * real Claude Code CLI runs against it (as tests/LazyAf.Testing's ScriptedModelServer does for the
 * .NET tests). Each conversation request (one with tools) gets the next turn; the CLI's side
 * requests get a short text and use none. Conversation requests are kept for the test to read.
 */
export class ScriptedModel {
  readonly requests: { messages: unknown[] }[] = [];
  readonly #turns: ScriptedTurn[];
  readonly #server: Server;

  private constructor(turns: ScriptedTurn[]) {
    this.#turns = [...turns];
    this.#server = createServer((request, response) => {
      void (async () => {
        const body = JSON.parse((await read(request)) || '{}') as { tools?: unknown[]; model?: string; messages?: unknown[] };
        if (request.url?.startsWith('/v1/messages/count_tokens')) {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 100 }));
          return;
        }
        const conversation = Array.isArray(body.tools) && body.tools.length > 0;
        if (conversation) this.requests.push({ messages: body.messages ?? [] });
        const turn = (conversation && this.#turns.shift()) || { say: 'Done.' };
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const [name, data] of events(body.model ?? 'claude-scripted', turn)) response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        response.end();
      })();
    });
  }

  static async start(turns: ScriptedTurn[]): Promise<ScriptedModel> {
    const model = new ScriptedModel(turns);
    await new Promise<void>((done) => model.#server.listen(0, '127.0.0.1', done));
    return model;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  play(...turns: ScriptedTurn[]) {
    this.#turns.push(...turns);
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((done) => this.#server.close(() => done()));
  }
}

function read(request: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => done(text));
    request.on('error', fail);
  });
}

function events(model: string, turn: ScriptedTurn): [string, object][] {
  const id = `msg_${Math.random().toString(16).slice(2, 22)}`;
  const isTool = 'tool' in turn;
  const start = isTool
    ? { type: 'tool_use', id: `toolu_${Math.random().toString(16).slice(2, 22)}`, name: turn.tool, input: {} }
    : { type: 'text', text: '' };
  const delta = isTool ? { type: 'input_json_delta', partial_json: JSON.stringify(turn.input) } : { type: 'text_delta', text: turn.say };
  return [
    ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 120, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: start }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: isTool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 30 } }],
    ['message_stop', { type: 'message_stop' }],
  ];
}

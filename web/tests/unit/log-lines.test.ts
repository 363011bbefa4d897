import { describe, expect, it } from 'vitest';
import { money, pieces, usageLine } from '../../src/lib/card/log-lines';

describe('log pieces', () => {
  it('turns an agent step’s JSON lines into events and leaves everything else text', () => {
    const drawn = pieces([
      { seq: 1, stream: 'system', text: '$ git clone …\n' },
      { seq: 2, stream: 'stdout', text: '{"kind":"assistant_text","text":"Looking."}\nplain line\n{"kind":"tool_call","tool_name":"Bash","summary":"ls"}\n' },
      { seq: 3, stream: 'stdout', text: '{"kind": broken json\n' },
    ]);
    expect(drawn.map((piece) => ('event' in piece ? `event:${piece.event.kind}` : `${piece.stream}:${piece.text}`))).toEqual([
      'system:$ git clone …\n',
      'event:assistant_text',
      'stdout:plain line\n',
      'event:tool_call',
      'stdout:{"kind": broken json\n',
    ]);
    expect(new Set(drawn.map((piece) => piece.key)).size).toBe(drawn.length);
  });

  it('says a result’s usage and cost in one line', () => {
    expect(usageLine({ kind: 'result', usage: { turns: 2, input_tokens: 1200, output_tokens: 60, cost_usd: 0.00216, duration_ms: 7757 } } as never)).toBe('2 turns, 1,200 in / 60 out, $0.0022, 7.8 s');
    expect(money(1.5)).toBe('$1.50');
    expect(money(0)).toBe('$0.00');
  });
});

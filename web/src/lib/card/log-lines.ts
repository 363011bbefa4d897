import type { Schemas } from '../api/client';
import type { LogChunk } from './log-store.svelte';

export type AgentEvent = Schemas['AgentEvent'];

/** A piece of a log as the log view draws it: plain output, or an agent's typed event (one JSON line). */
export type LogPiece = { key: string; stream: string; text: string } | { key: string; stream: 'agent'; event: AgentEvent };

/**
 * Splits the log into plain text and the agent events an agent step writes as JSON lines
 * (`{"kind":"tool_call",…}`), so the view can draw assistant text, tool calls and the result with
 * its usage instead of raw JSON. Anything that does not read as an event stays text.
 */
export function pieces(chunks: LogChunk[]): LogPiece[] {
  const out: LogPiece[] = [];
  for (const chunk of chunks) {
    if (!chunk.text.includes('{"kind":')) {
      out.push({ key: `${chunk.seq}`, stream: chunk.stream, text: chunk.text });
      continue;
    }
    let text = '';
    chunk.text.split(/(?<=\n)/).forEach((line, index) => {
      const event = line.startsWith('{"kind":') ? parse(line) : null;
      if (!event) {
        text += line;
        return;
      }
      if (text) out.push({ key: `${chunk.seq}.${index}t`, stream: chunk.stream, text });
      text = '';
      out.push({ key: `${chunk.seq}.${index}`, stream: 'agent', event });
    });
    if (text) out.push({ key: `${chunk.seq}.end`, stream: chunk.stream, text });
  }
  return out;
}

function parse(line: string): AgentEvent | null {
  try {
    const value = JSON.parse(line) as AgentEvent;
    return typeof value?.kind === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** What a result's usage says, in one line: turns, tokens, cost, time. */
export function usageLine(event: AgentEvent): string {
  const usage = event.usage as { turns?: number; input_tokens?: number; output_tokens?: number; cost_usd?: number | null; duration_ms?: number } | null | undefined;
  if (!usage) return '';
  const parts: string[] = [];
  if (usage.turns) parts.push(`${usage.turns} ${usage.turns === 1 ? 'turn' : 'turns'}`);
  parts.push(`${(usage.input_tokens ?? 0).toLocaleString()} in / ${(usage.output_tokens ?? 0).toLocaleString()} out`);
  if (usage.cost_usd != null) parts.push(money(usage.cost_usd));
  if (usage.duration_ms) parts.push(`${(usage.duration_ms / 1000).toFixed(1)} s`);
  return parts.join(', ');
}

/** Dollars: cents for most, more digits for the fractions of a cent a scripted or small run costs. */
export function money(usd: number): string {
  return usd > 0 && usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

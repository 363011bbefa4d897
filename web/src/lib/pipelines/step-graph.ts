/** A step as the graph needs it, from a definition (routes known) or a run (states known). */
export interface GraphStep {
  id: string;
  name: string;
  needs: string[];
  onSuccess?: string;
  onFailure?: string;
  fixStep?: boolean;
  state?: string;
}

export interface GraphNode {
  step: GraphStep;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `needs` (the step waits for it) or a route that starts it (`run:fix` on failure). */
  kind: 'needs' | 'fix';
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  /** Routes that lead out of the pipeline (`merge:main`, `trigger:pipeline:deploy`), drawn as labels under their step. */
  exits: { from: string; label: string }[];
}

export const nodeWidth = 150;
export const nodeHeight = 44;
const columnGap = 60;
const rowGap = 22;
const pad = 8;

/**
 * Lays the steps out left to right: a step's column is one more than the furthest of its `needs`
 * (a fix step: one more than the steps that route to it), so every edge points right. Cycles are
 * refused by the host, so a definition it accepted has none; a broken one is cut where it loops.
 */
export function layout(steps: GraphStep[]): GraphLayout {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const fixers = new Map<string, string[]>();
  for (const step of steps) {
    const target = /^run:(.+)$/.exec(step.onFailure ?? '')?.[1];
    if (target && byId.has(target)) fixers.set(target, [...(fixers.get(target) ?? []), step.id]);
  }
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const columnOf = (id: string): number => {
    const known = column.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const step = byId.get(id)!;
    const before = [...step.needs.filter((need) => byId.has(need)), ...(fixers.get(id) ?? [])];
    const value = before.length === 0 ? 0 : Math.max(...before.map(columnOf)) + 1;
    visiting.delete(id);
    column.set(id, value);
    return value;
  };
  const rows = new Map<number, number>();
  const nodes = steps.map((step) => {
    const x = columnOf(step.id);
    const y = rows.get(x) ?? 0;
    rows.set(x, y + 1);
    return { step, x: pad + x * (nodeWidth + columnGap), y: pad + y * (nodeHeight + rowGap) };
  });
  const edges: GraphEdge[] = [];
  for (const step of steps) {
    for (const need of step.needs) if (byId.has(need)) edges.push({ from: need, to: step.id, kind: 'needs' });
    const target = /^run:(.+)$/.exec(step.onFailure ?? '')?.[1];
    if (target && byId.has(target)) edges.push({ from: step.id, to: target, kind: 'fix' });
  }
  const exits: GraphLayout['exits'] = [];
  for (const step of steps) {
    for (const route of [step.onSuccess, step.onFailure])
      if (route && (route.startsWith('merge') || route.startsWith('trigger:'))) exits.push({ from: step.id, label: route });
  }
  const columns = Math.max(1, ...nodes.map((node) => (node.x - pad) / (nodeWidth + columnGap) + 1));
  const tallest = Math.max(1, ...rows.values());
  return {
    nodes,
    edges,
    exits,
    width: pad * 2 + columns * nodeWidth + (columns - 1) * columnGap,
    height: pad * 2 + tallest * nodeHeight + (tallest - 1) * rowGap + (exits.length > 0 ? 18 : 0),
  };
}

import type { Schemas } from '../api/client';

export type CardStatus = Schemas['CardStatus'];

/** The board's columns, left to right; the Failed lane comes last. */
export const columns: { status: CardStatus; title: string }[] = [
  { status: 'todo', title: 'To Do' },
  { status: 'in_progress', title: 'In Progress' },
  { status: 'in_review', title: 'In Review' },
  { status: 'done', title: 'Done' },
  { status: 'failed', title: 'Failed' },
];

export function statusTitle(status: string): string {
  return columns.find((column) => column.status === status)?.title ?? status;
}

/** The endpoint that makes a move; anything not listed is asked for with PATCH {status}, which the host refuses with why. */
export type MoveRequest = 'start' | 'retry' | 'approve' | 'reject' | 'set-status';

export function moveRequest(from: CardStatus, to: CardStatus): MoveRequest {
  if (from === 'todo' && to === 'in_progress') return 'start';
  if ((from === 'failed' || from === 'in_review') && to === 'in_progress') return 'retry';
  if (from === 'in_review' && to === 'done') return 'approve';
  if (from === 'in_review' && to === 'todo') return 'reject';
  return 'set-status';
}

/** Triggers a person can pull; `fail` and `submit_for_review` belong to the executor. */
export const userTriggers = ['start', 'retry', 'approve', 'reject'] as const;

const triggerTitles: Record<string, string> = { start: 'Start', retry: 'Retry', approve: 'Approve', reject: 'Reject' };

/** "Approve → Done, Reject → To Do": the moves a refused card could make instead. */
export function describeAllowed(allowed: { trigger: string; to: string }[] | undefined): string {
  const moves = (allowed ?? []).filter((move) => (userTriggers as readonly string[]).includes(move.trigger));
  return moves.map((move) => `${triggerTitles[move.trigger] ?? move.trigger} → ${statusTitle(move.to)}`).join(', ');
}

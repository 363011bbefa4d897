/** An RFC 7807 problem as the host sends it, with the extensions the board reads. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** Field errors of a 400 (`step_config.command`, `title`, …). */
  errors?: Record<string, string[]>;
  /** A refused card move: where the card is and what it may do instead. */
  current_status?: string;
  allowed?: { trigger: string; to: string }[];
  /** A merge that conflicted. */
  conflicting_paths?: string[];
}

/** A request the host refused or never answered; `problem` says why. */
export class ApiError extends Error {
  readonly problem: Problem;
  readonly status: number;

  constructor(problem: Problem, status: number) {
    super(sentence(problem));
    this.name = 'ApiError';
    this.problem = problem;
    this.status = status;
  }
}

/** The problem as one sentence a person can read: the host's detail, else its title, else the status. */
export function sentence(problem: Problem): string {
  const text = problem.detail?.trim() || problem.title?.trim();
  if (text) return /[.!?:]$/.test(text) ? text : `${text}.`;
  if (problem.status === 0) return 'The LazyAF host did not answer; is it running?';
  return `The host answered ${problem.status ?? 'with an error'}.`;
}

/** Builds a problem from a failed response's body, whatever it was. */
export function problemOf(body: unknown, response: Response): Problem {
  if (body && typeof body === 'object') return { status: response.status, ...(body as Problem) };
  const text = typeof body === 'string' ? body.trim() : '';
  return { status: response.status, title: response.statusText || undefined, detail: text || undefined };
}

/** What a failure is, for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

import { num, type Schemas } from '../api/client';
import { ApiError } from '../api/problem';

/** Where a pipeline's YAML is wrong: 1-based line and column, as the host's reader says. */
export interface PipelineError {
  line: number;
  column: number;
  message: string;
}

/** The `errors: [{line, column, message}]` of an invalid-pipeline 400, or null when the failure is something else. */
export function pipelineErrorsOf(error: unknown): PipelineError[] | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const errors = (error.problem as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return null;
  return errors.map((entry: Schemas['ErrorView']) => ({ line: num(entry.line), column: num(entry.column), message: entry.message }));
}

export function fromViews(errors: Schemas['ErrorView'][]): PipelineError[] {
  return errors.map((entry) => ({ line: num(entry.line), column: num(entry.column), message: entry.message }));
}

/** The error as a sentence with its place: "Line 5, column 7: unknown key 'comand' …". */
export function describeError(error: PipelineError): string {
  const message = error.message.trim();
  return `Line ${error.line}, column ${error.column}: ${/[.!?]$/.test(message) ? message : `${message}.`}`;
}

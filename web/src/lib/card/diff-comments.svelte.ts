/** A reviewer's note on one line of the diff. */
export interface LineComment {
  path: string;
  line: number;
  text: string;
}

/**
 * The comments a reviewer writes on the diff's lines, kept until they are sent to the agent as one
 * follow-up (`message`), the way a review is read: file by file, line by line.
 */
export class DiffComments {
  comments = $state<LineComment[]>([]);
  /** The line being commented on: picked by clicking its number in the diff, or typed. */
  path = $state('');
  line = $state<number | null>(null);
  text = $state('');

  count = $derived(this.comments.length);

  pick(path: string, line: number) {
    this.path = path;
    this.line = line;
  }

  /** Adds the comment being written; false when something is missing. */
  add(): boolean {
    const text = this.text.trim();
    if (!this.path || !this.line || this.line < 1 || !text) return false;
    this.comments.push({ path: this.path, line: this.line, text });
    this.text = '';
    return true;
  }

  remove(index: number) {
    this.comments.splice(index, 1);
  }

  clear() {
    this.comments = [];
  }

  /** The follow-up the agent gets: every comment with its place. */
  message(): string {
    const sorted = [...this.comments].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
    const lines = sorted.map((comment) => `- ${comment.path}:${comment.line}: ${comment.text.replace(/\s*\n\s*/g, ' ')}`);
    return `Review comments on your changes; please address each one:\n${lines.join('\n')}`;
  }
}

/**
 * The file and new-side line number of a click in diff2html's output, or null when the click was
 * not on a line number. Line-by-line rows carry the old number in `.line-num1` and the new in
 * `.line-num2`; side-by-side cells carry one number each.
 */
export function lineAt(target: Element): { path: string; line: number } | null {
  const cell = target.closest('.d2h-code-linenumber, .d2h-code-side-linenumber');
  if (!cell) return null;
  const path = cell.closest('.d2h-file-wrapper')?.querySelector('.d2h-file-name')?.textContent?.trim();
  const number = cell.querySelector('.line-num2')?.textContent?.trim() || cell.querySelector('.line-num1')?.textContent?.trim() || cell.textContent?.trim();
  const line = Number(number);
  return path && Number.isInteger(line) && line > 0 ? { path, line } : null;
}

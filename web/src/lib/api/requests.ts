import type { CardStatus } from '../board/card-moves';

/** What the board sends to create a card (`POST /api/repos/{repoId}/cards`). */
export interface CreateCardBody {
  title: string;
  description?: string;
  step_type: 'script' | 'docker' | 'agent';
  step_config: Record<string, unknown>;
  branch_name?: string;
  base_branch?: string;
  requires?: string[];
  auto_start?: boolean;
}

/** What the board sends to edit a card (`PATCH /api/cards/{id}`). */
export interface UpdateCardBody {
  status?: CardStatus;
}

/**
 * The host's OpenAPI document still gives several request bodies one shared schema (`Request`,
 * the repos' one), so the board types the bodies it sends itself (above) and hands them over as
 * whatever the document says. Once the document names them apart this is a plain identity.
 */
export function sendAs<T>(body: CreateCardBody | UpdateCardBody | { target_branch?: string } | { reason?: string }): NonNullable<T> {
  return body as NonNullable<T>;
}

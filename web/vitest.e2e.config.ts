import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files share one host, so their order is part of the story: board.test.ts begins with an
 * empty LazyAF (its first tests teach `lazyaf ingest`), so it goes first; the rest by name.
 */
class StoryOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => (file.moduleId.endsWith('/board.test.ts') ? 0 : 1);
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

// The board end to end: the real host (its own process, a temp data dir), real git, real Chromium.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // The host gets 10 s to stop before it is killed.
    teardownTimeout: 20_000,
    fileParallelism: false,
    sequence: { sequencer: StoryOrder },
    reporters: ['default'],
  },
});

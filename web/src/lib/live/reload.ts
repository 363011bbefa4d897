/**
 * Wraps a load so that a burst of events costs at most one load in flight and one after it: a call
 * while loading asks for one more load once this one is done (it may have read the state before the
 * event), never a pile of them.
 */
export function coalesced(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await load();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return run;
}

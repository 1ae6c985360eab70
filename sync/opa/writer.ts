// Data writes to the service, queued per document path: a newer write to a path replaces the
// one still waiting (only the latest state matters), and unrelated paths go out in parallel. A
// write never overtakes an earlier one to the same path, a parent or a child (deleting a
// namespace's document, then adding a Pod in it, must land in that order). A burst of watch
// events thus costs one request per object changed, however often it changed.
import type { OpaClient } from './client';

const MAX_SCAN_BLOCKED = 64;

type Write = { kind: 'put'; value: unknown } | { kind: 'delete' };

export class DataWriter {
  private readonly pending = new Map<string, { path: string[]; write: Write }>();
  private readonly inflight = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private failures = 0;

  constructor(
    private readonly opa: OpaClient,
    private readonly concurrency = 8,
    /** Called for each write that failed (the service down, a rejected document). */
    private readonly onError: (path: string[], err: Error) => void = () => {},
  ) {}

  put(path: string[], value: unknown): void {
    this.enqueue(path, { kind: 'put', value });
  }

  delete(path: string[]): void {
    this.enqueue(path, { kind: 'delete' });
  }

  /** Drops what has not been sent yet (a full resync follows and supersedes it). */
  discardPending(): void {
    this.pending.clear();
    this.settle();
  }

  /** Resolves when nothing is queued or in flight; the count of failed writes since the last call. */
  async flush(): Promise<number> {
    if (this.pending.size > 0 || this.inflight.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const failed = this.failures;
    this.failures = 0;
    return failed;
  }

  private enqueue(path: string[], write: Write): void {
    const key = pathKey(path);
    // Re-queued at the end: the latest write is ordered after everything queued before it.
    this.pending.delete(key);
    this.pending.set(key, { path, write });
    this.pump();
  }

  private pump(): void {
    const waiting: string[] = [];
    for (const [key, job] of this.pending) {
      if (this.inflight.size >= this.concurrency) return;
      if (overlapsAny(key, this.inflight) || overlapsAny(key, waiting)) {
        // Looking further behind many blocked writes costs more than it gains: wait.
        if (waiting.push(key) >= MAX_SCAN_BLOCKED) return;
        continue;
      }
      this.pending.delete(key);
      this.inflight.add(key);
      const sent = job.write.kind === 'put' ? this.opa.putData(job.path, job.write.value) : this.opa.deleteData(job.path);
      sent
        .catch((err: Error) => {
          this.failures++;
          this.onError(job.path, err);
        })
        .finally(() => {
          this.inflight.delete(key);
          this.pump();
          this.settle();
        });
    }
  }

  private settle(): void {
    if (this.pending.size === 0 && this.inflight.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}

/** Path keys end with a separator, so `a/b/` is a prefix of `a/b/c/` but not of `a/bc/`. */
const pathKey = (path: string[]): string => path.map((p) => encodeURIComponent(p) + '/').join('');

function overlapsAny(key: string, keys: Iterable<string>): boolean {
  for (const k of keys) if (k.startsWith(key) || key.startsWith(k)) return true;
  return false;
}

// List, then watch from the list's resourceVersion: the loop every source of the sidecar runs
// on (client-go calls it a reflector). A watch the server ends cleanly resumes from the last
// resourceVersion seen (bookmarks keep it fresh); 410 Gone, a failed or a dropped watch means
// events may be lost, so the collection is listed again and the whole state handed over for
// reconciling. Failures back off exponentially.
import type { Logger } from 'pino';
import { KubeError, type KubeClient, type KubeObject, type WatchEventType } from './client';

export interface ReflectorHandlers {
  /** The complete current state (first list and every relist). */
  replace(items: KubeObject[]): Promise<void>;
  /** One change, in the order the server sent them. */
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void;
}

export interface ReflectorOptions {
  path: string;
  selector?: string;
  /** Server-side timeout of each watch request (the server then ends it cleanly). */
  watchTimeoutSeconds?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

type WatchEnd = { kind: 'closed' } | { kind: 'gone' } | { kind: 'failed'; error: Error };

export class Reflector {
  private stopped = false;
  private stopWatch?: () => void;
  private wake?: () => void;
  private resourceVersion = '';
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly opts: ReflectorOptions,
    private readonly handlers: ReflectorHandlers,
    private readonly log: Logger,
  ) {}

  /** Runs until `stop()`; never rejects. */
  async run(): Promise<void> {
    let backoff = this.opts.minBackoffMs ?? 200;
    const maxBackoff = this.opts.maxBackoffMs ?? 30_000;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        const end = await this.watchOnce();
        if (this.stopped) break;
        if (end.kind === 'closed') {
          backoff = this.opts.minBackoffMs ?? 200;
          continue;
        }
        this.resourceVersion = '';
        if (end.kind === 'gone') {
          this.log.info({ path: this.opts.path }, 'watch expired (410 Gone): relisting');
          continue;
        }
        this.log.warn({ path: this.opts.path, err: end.error.message }, 'watch failed: relisting after backoff');
      } catch (e) {
        this.resourceVersion = '';
        this.log.warn({ path: this.opts.path, err: (e as Error).message }, 'list failed: retrying after backoff');
      }
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, maxBackoff);
    }
  }

  /** Resolves after the first complete list has been handed over. */
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    this.wake?.();
  }

  private async relist(): Promise<void> {
    const list = await this.client.list(this.opts.path, this.opts.selector);
    await this.handlers.replace(list.items);
    this.resourceVersion = list.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private watchOnce(): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve) => {
      let ended = false;
      const finish = (end: WatchEnd): void => {
        if (ended) return;
        ended = true;
        this.stopWatch?.();
        this.stopWatch = undefined;
        resolve(end);
      };
      const onEvent = (type: WatchEventType, obj: KubeObject): void => {
        if (ended) return;
        if (type === 'ERROR') {
          const code = (obj as { code?: number }).code;
          const message = (obj as { message?: string }).message ?? 'watch error';
          return finish(code === 410 ? { kind: 'gone' } : { kind: 'failed', error: new KubeError(code ?? 500, message) });
        }
        const rv = obj?.metadata?.resourceVersion;
        if (type !== 'BOOKMARK') this.handlers.event(type, obj);
        if (rv) this.resourceVersion = rv;
      };
      const params = { resourceVersion: this.resourceVersion, selector: this.opts.selector, timeoutSeconds: this.opts.watchTimeoutSeconds ?? randomTimeout() };
      this.client
        .watch(this.opts.path, params, onEvent, (err) => {
          if (!err) return finish({ kind: 'closed' });
          if (err instanceof KubeError && err.status === 410) return finish({ kind: 'gone' });
          finish({ kind: 'failed', error: err });
        })
        .then((stop) => {
          if (ended || this.stopped) stop();
          else this.stopWatch = stop;
        })
        .catch((err: unknown) => finish({ kind: 'failed', error: err as Error }));
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

/** 5–10 minutes, as client-go spreads its watches so they do not all restart together. */
function randomTimeout(): number {
  return 300 + Math.floor(Math.random() * 300);
}

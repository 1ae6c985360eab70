// Tells when the service lost what the sidecar gave it. After every full sync the sidecar
// writes a marker, `data.system.regent.sync` = {"session": <id>, "ready": true}; a service
// that restarted (or whose data was replaced) no longer has it, so the sidecar loads
// everything again. `regent run --require-sync` also reads the marker: its /health stays
// unready until the first full sync is in.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { OpaClient } from './opa/client';

export const MARKER_PATH = ['system', 'regent', 'sync'];

export class ServiceSession {
  readonly id = randomUUID();
  private timer?: NodeJS.Timeout;
  private resyncing = false;

  constructor(
    private readonly opa: OpaClient,
    private readonly log: Logger,
  ) {}

  /** Waits until the service answers at all. */
  async waitForService(intervalMs: number, isStopped: () => boolean): Promise<void> {
    for (let logged = false; !isStopped(); logged = true) {
      try {
        await this.opa.getData(MARKER_PATH);
        return;
      } catch (e) {
        if (!logged) this.log.info({ err: (e as Error).message }, 'waiting for the policy service');
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    }
  }

  async markSynced(): Promise<void> {
    await this.opa.putData(MARKER_PATH, { session: this.id, ready: true });
  }

  /** Checks the marker every `intervalMs`; `resync` runs when it is gone, then the marker is written again. */
  monitor(intervalMs: number, resync: () => Promise<void>): void {
    this.timer = setInterval(() => void this.check(resync), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(resync: () => Promise<void>): Promise<void> {
    if (this.resyncing) return;
    let marker: unknown;
    try {
      marker = await this.opa.getData(MARKER_PATH);
    } catch {
      return; // down: the check after it comes back finds the marker gone
    }
    if ((marker as { session?: string } | undefined)?.session === this.id) return;
    this.resyncing = true;
    try {
      this.log.warn('the policy service lost the synced state (restarted?): loading everything again');
      const started = Date.now();
      await resync();
      await this.markSynced();
      this.log.info({ ms: Date.now() - started }, 'resync complete');
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'resync failed; trying again at the next check');
    } finally {
      this.resyncing = false;
    }
  }
}

// What a labelled ConfigMap becomes in the service. Policies: each key is a module, loaded as
// `PUT /v1/policies/<namespace>/<name>/<key>`. Data: the keys, parsed as JSON or YAML, form
// the document `data.<namespace>.<name>`.
import * as yaml from 'js-yaml';
import { OpaError, type OpaClient } from '../opa/client';
import type { KubeObject } from '../kube/client';

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/** A load's outcome: the status annotation's `error` (the service's error body, or a message). */
export type LoadResult = { ok: true } | { ok: false; error: unknown };

export interface ConfigMapLoader {
  readonly kind: 'policy' | 'data';
  /** Loads (or reloads) a ConfigMap; `previous` is its last loaded version, if any. */
  load(cm: ConfigMap, previous?: ConfigMap): Promise<LoadResult>;
  unload(cm: ConfigMap): Promise<void>;
}

const idOf = (cm: ConfigMap, key: string): string => `${cm.metadata.namespace}/${cm.metadata.name}/${key}`;

const failure = (e: unknown): LoadResult => ({ ok: false, error: e instanceof OpaError ? (e.body ?? e.message) : (e as Error).message });

export class PolicyLoader implements ConfigMapLoader {
  readonly kind = 'policy';
  constructor(private readonly opa: OpaClient) {}

  async load(cm: ConfigMap, previous?: ConfigMap): Promise<LoadResult> {
    const data = cm.data ?? {};
    let result: LoadResult = { ok: true };
    for (const key of Object.keys(data).sort()) {
      try {
        await this.opa.putPolicy(idOf(cm, key), data[key]);
      } catch (e) {
        if (result.ok) result = failure(e);
      }
    }
    // Keys dropped by an update unload their modules.
    for (const key of Object.keys(previous?.data ?? {})) if (!(key in data)) await this.opa.deletePolicy(idOf(cm, key)).catch(() => undefined);
    return result;
  }

  async unload(cm: ConfigMap): Promise<void> {
    for (const key of Object.keys(cm.data ?? {})) await this.opa.deletePolicy(idOf(cm, key));
  }
}

export class DataLoader implements ConfigMapLoader {
  readonly kind = 'data';
  constructor(private readonly opa: OpaClient) {}

  async load(cm: ConfigMap): Promise<LoadResult> {
    const doc: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      try {
        doc[key] = parseDocument(text);
      } catch (e) {
        return { ok: false, error: `key ${key}: ${(e as Error).message}` };
      }
    }
    try {
      await this.opa.putData([cm.metadata.namespace ?? '', cm.metadata.name], doc);
      return { ok: true };
    } catch (e) {
      return failure(e);
    }
  }

  async unload(cm: ConfigMap): Promise<void> {
    await this.opa.deleteData([cm.metadata.namespace ?? '', cm.metadata.name]);
  }
}

/** JSON first (the common case, with the clearer errors), else YAML. */
function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (jsonError) {
    try {
      return yaml.load(text, { schema: yaml.JSON_SCHEMA });
    } catch (yamlError) {
      throw new Error(`neither JSON (${(jsonError as Error).message}) nor YAML (${(yamlError as Error).message.split('\n')[0]})`);
    }
  }
}

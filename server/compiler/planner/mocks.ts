// `with` replacements of virtual documents and functions. Function bodies planned while mocks are
// active become variants that take the mocked values as extra parameters, so a replacement
// reaches every rule the mocked expression calls, however deep.
import type { Local } from '../../ir/types';

export type Mock =
  /** `with f as g`: calls of `target` go to `replacement` (a builtin or `data.…` function). */
  | { kind: 'func'; target: string; replacement: string }
  /** `with f as 1` / `with data.pkg.rule as v`: the value lives in `local`. */
  | { kind: 'value'; target: string; path?: string[]; local: Local };

export class Mocks {
  private readonly byTarget = new Map<string, Mock>();

  add(m: Mock): void {
    // A newer mock of the same target replaces the older one; re-insert to keep order stable.
    this.byTarget.delete(m.target);
    this.byTarget.set(m.target, m);
  }

  get(target: string): Mock | undefined {
    return this.byTarget.get(target);
  }

  /** The value mock of a data path, if that exact path is mocked. */
  data(path: readonly string[]): (Mock & { kind: 'value' }) | undefined {
    const m = this.byTarget.get('data.' + path.join('.'));
    return m?.kind === 'value' && m.path ? m : undefined;
  }

  clone(): Mocks {
    const c = new Mocks();
    for (const m of this.byTarget.values()) c.byTarget.set(m.target, m);
    return c;
  }

  isEmpty(): boolean {
    return this.byTarget.size === 0;
  }

  list(): Mock[] {
    return [...this.byTarget.values()];
  }

  /** Locals holding mocked values, passed to variant functions as extra arguments. */
  params(): Local[] {
    return this.list().flatMap((m) => (m.kind === 'value' ? [m.local] : []));
  }

  /** Identifies the variant: what is replaced, and by which function. */
  signature(): string {
    return this.list()
      .map((m) => (m.kind === 'func' ? `${m.target}=>${m.replacement}` : `${m.target}=v`))
      .join(',');
  }

  /** The same mocks with value locals renumbered (the callee receives them as parameters). */
  remap(alloc: () => Local): { mocks: Mocks; params: Local[] } {
    const c = new Mocks();
    const params: Local[] = [];
    for (const m of this.byTarget.values()) {
      if (m.kind === 'value') {
        const l = alloc();
        params.push(l);
        c.byTarget.set(m.target, { ...m, local: l });
      } else c.byTarget.set(m.target, m);
    }
    return { mocks: c, params };
  }
}

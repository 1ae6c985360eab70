// Equality-based label selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`, comma = and), the forms
// the sidecar and kubectl's -l use.
export type Requirement = { key: string; op: 'eq' | 'ne' | 'exists' | 'absent'; value?: string };
export type Selector = Requirement[];

export function parseSelector(text: string): Selector {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((term): Requirement => {
      const ne = term.split('!=');
      if (ne.length === 2) return { key: ne[0].trim(), op: 'ne', value: ne[1].trim() };
      const eq = term.split(/==?/);
      if (eq.length === 2) return { key: eq[0].trim(), op: 'eq', value: eq[1].trim() };
      if (term.startsWith('!')) return { key: term.slice(1).trim(), op: 'absent' };
      return { key: term, op: 'exists' };
    });
}

export function matchesSelector(selector: Selector, labels: Record<string, string> = {}): boolean {
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'eq':
        return has && labels[r.key] === r.value;
      case 'ne':
        return !has || labels[r.key] !== r.value;
      case 'exists':
        return has;
      case 'absent':
        return !has;
    }
  });
}

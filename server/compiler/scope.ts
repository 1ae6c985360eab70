// Lexical scopes for name resolution: each body (rule body, comprehension, `every`, query) has
// one; locals get unique names so later passes never confuse shadowed variables.

export class NameGen {
  private n = 0;
  /** A fresh local name derived from a source name; `$` never occurs in source identifiers. */
  fresh(orig: string): string {
    return `${orig.startsWith('$_') ? '_' : orig}$${this.n++}`;
  }
}

/** The source name a generated local came from (`x$3` → `x`). */
export function sourceName(unique: string): string {
  const i = unique.lastIndexOf('$');
  return i > 0 ? unique.slice(0, i) : unique;
}

/** Whether a name was generated for a wildcard or by the compiler (never a query binding). */
export function isGenerated(unique: string): boolean {
  return unique.startsWith('_$') || unique.startsWith('$');
}

export class Scope {
  private readonly vars = new Map<string, string>();
  /** Names this body declares with `:=`/`some` further on (not yet in scope). */
  readonly pending = new Set<string>();

  constructor(readonly parent?: Scope) {}

  declare(orig: string, unique: string): void {
    this.vars.set(orig, unique);
  }

  has(orig: string): boolean {
    return this.vars.has(orig);
  }

  lookup(orig: string): string | undefined {
    return this.vars.get(orig) ?? this.parent?.lookup(orig);
  }

  /** The unique names declared directly in this scope. */
  locals(): Map<string, string> {
    return this.vars;
  }
}

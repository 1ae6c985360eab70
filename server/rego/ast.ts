// The Rego abstract syntax tree: plain data produced by the parser and consumed (never mutated in
// place by later stages; they build new nodes) by the compiler. Shapes follow OPA's `ast` package
// closely so that OPA's documentation maps one to one onto these types.

export interface Location {
  file: string;
  row: number;
  col: number;
}

/** A scalar or composite term. Operators are represented as calls, like OPA does. */
export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm;

export interface NullTerm { type: 'null'; loc: Location }
export interface BooleanTerm { type: 'boolean'; value: boolean; loc: Location }
/** `value` keeps the literal's source text so arbitrary precision survives parsing. */
export interface NumberTerm { type: 'number'; value: string; loc: Location }
export interface StringTerm { type: 'string'; value: string; loc: Location }
/** Wildcards `_` are given unique names (`$_0`, `$_1`, …) by the parser. */
export interface VarTerm { type: 'var'; name: string; loc: Location }
/**
 * `a.b[c]`: `terms[0]` is the head (a var such as `data`/`input`/a local, or a composite/call
 * term), the rest are the operands; `.b` is stored as the string term "b".
 */
export interface RefTerm { type: 'ref'; terms: Term[]; loc: Location }
export interface ArrayTerm { type: 'array'; items: Term[]; loc: Location }
export interface ObjectTerm { type: 'object'; items: Array<[Term, Term]>; loc: Location }
export interface SetTerm { type: 'set'; items: Term[]; loc: Location }
export interface ArrayComprehension { type: 'arraycomp'; term: Term; body: Body; loc: Location }
export interface SetComprehension { type: 'setcomp'; term: Term; body: Body; loc: Location }
export interface ObjectComprehension { type: 'objectcomp'; key: Term; value: Term; body: Body; loc: Location }
/**
 * A function or operator call. `op` is the called name as a ref (`count`, `data.lib.f`,
 * `internal.member_2`). Infix operators use OPA's names: `eq` (=), `assign` (:=), `equal` (==),
 * `neq`, `lt`, `lte`, `gt`, `gte`, `plus`, `minus`, `mul`, `div`, `rem`, `and` (&), `or` (|),
 * `internal.member_2` (x in xs), `internal.member_3` (k, v in xs).
 */
export interface CallTerm { type: 'call'; op: RefTerm; args: Term[]; loc: Location }

export type Body = Expr[];

export interface With {
  target: Term; // a ref: input…, data…, or a function name
  value: Term;
  loc: Location;
  /** Set by the compiler when `value` names a builtin function (`with count as object.union_n`). */
  fn?: string;
}

export type ExprBody =
  | { type: 'term'; term: Term }
  /** `some x, y` */
  | { type: 'some'; vars: VarTerm[] }
  /** `some v in xs` / `some k, v in xs` */
  | { type: 'somein'; key?: Term; value: Term; collection: Term }
  /** `every v in xs { … }` / `every k, v in xs { … }` */
  | { type: 'every'; key?: VarTerm; value: VarTerm; domain: Term; body: Body };

export interface Expr {
  body: ExprBody;
  negated: boolean;
  with: With[];
  loc: Location;
}

export interface Import {
  /** `data.x.y` or `input.x` or `future.keywords.in` or `rego.v1`, as a ref term. */
  path: RefTerm;
  alias?: string;
  loc: Location;
}

export interface RuleHead {
  /**
   * The rule's reference: `p` → [var p]; `a.b[x].c` → [var a, "b", var x, "c"]. For `contains`
   * rules and v0 `p[x]` partial sets the key is *not* part of the ref (see `key`).
   */
  ref: Term[];
  /** Function arguments, when the rule is a function. */
  args?: Term[];
  /** The element of a partial set (`p contains x`, v0 `p[x] { … }`). */
  key?: Term;
  /** The value (`:= v`, `= v`); absent means `true`. */
  value?: Term;
  /** Whether the head used `:=`. */
  assign: boolean;
  loc: Location;
}

export type RuleKind = 'complete' | 'partial_set' | 'partial_object' | 'function';

export interface Rule {
  head: RuleHead;
  kind: RuleKind;
  /** Empty for a rule with no body (`p := 1`): the body `true` is implied. */
  body: Body;
  /** `else` chain: each alternative has its own value and body. */
  else?: Rule;
  default: boolean;
  loc: Location;
  /** Text of the rule in its source file, for `rego.metadata`, coverage and messages. */
  text?: string;
  /** METADATA blocks right before the rule (scope `rule` or `document`), parsed. */
  annotations?: Annotation[];
}

export interface Annotation {
  scope: string;
  /** The YAML as a plain object, `scope` included. */
  value: Record<string, unknown>;
  loc: Location;
}

export interface Comment {
  text: string;
  loc: Location;
}

export interface Module {
  /** The package path without the leading `data`: `package a.b` → ["a", "b"]. */
  package: string[];
  packageLoc: Location;
  imports: Import[];
  rules: Rule[];
  comments: Comment[];
  /** METADATA blocks before the package clause (scope `package` or `subpackages`). */
  annotations?: Annotation[];
  file: string;
  /** Whether the module was parsed with v1 syntax (the default) or v0. */
  regoVersion: 0 | 1;
}

export interface SourceFile {
  file: string;
  text: string;
}

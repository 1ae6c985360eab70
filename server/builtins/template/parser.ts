// strings.render_template: parser
import { quoteString } from '../gofmt';
import { eq, index, le, length, lt, slice } from './funcs';
import { Item, ItemType, itemString } from './lexer';
import { MAX_NESTING, MAX_PARENS, TemplateError } from './limits';
import { INT64_MAX, INT64_MIN, UINT64_MAX, parseGoFloat, parseGoInt, unquote, unquoteChar } from './literals';
import { ArgNode, BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, Tree, nodeString } from './tree';

export type Sig = { fixed: Array<'value' | 'string'>; variadic?: 'value' };

export const FUNCS: Record<string, Sig> = {
  and: { fixed: ['value'], variadic: 'value' },
  or: { fixed: ['value'], variadic: 'value' },
  not: { fixed: ['value'] },
  call: { fixed: ['value'], variadic: 'value' },
  html: { fixed: [], variadic: 'value' },
  js: { fixed: [], variadic: 'value' },
  urlquery: { fixed: [], variadic: 'value' },
  index: { fixed: ['value'], variadic: 'value' },
  slice: { fixed: ['value'], variadic: 'value' },
  len: { fixed: ['value'] },
  print: { fixed: [], variadic: 'value' },
  printf: { fixed: ['string'], variadic: 'value' },
  println: { fixed: [], variadic: 'value' },
  eq: { fixed: ['value'], variadic: 'value' },
  ne: { fixed: ['value', 'value'] },
  lt: { fixed: ['value', 'value'] },
  le: { fixed: ['value', 'value'] },
  gt: { fixed: ['value', 'value'] },
  ge: { fixed: ['value', 'value'] },
};

export const OPERAND_START = new Set<ItemType>(['bool', 'charConstant', 'complex', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen']);

export class Parser {
  private i = 0;
  private lastRead = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private parenDepth = 0;
  private nesting = 0;
  private actionLine = 0;
  readonly trees = new Map<string, Tree>();

  constructor(private readonly items: Item[]) {}

  // --- token stream

  private next(): Item {
    const k = Math.min(this.i, this.items.length - 1);
    this.i++;
    if (k > this.lastRead) this.lastRead = k;
    return this.items[k];
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private peek(): Item {
    const t = this.next();
    this.backup();
    return t;
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === 'space');
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private errorf(msg: string): never {
    throw new TemplateError(`template: template:${this.items[this.lastRead].line}: ${msg}`);
  }
  private unexpected(token: Item, context: string): never {
    if (token.typ === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at template:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(token.val + extra);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }
  private expect(typ: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }

  // --- trees

  parse(): Map<string, Tree> {
    const root: ListNode = { t: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== 'eof') {
      if (this.peek().typ === 'leftDelim') {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().typ === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.t === 'end' || n.t === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    this.add({ name: 'template', root });
    return this.trees;
  }

  /** A sub-template ({{define}}, {{block}}) starts with fresh variables. */
  private subTree<T>(f: () => T): T {
    const saved = { vars: this.vars, range: this.rangeDepth, parens: this.parenDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    this.parenDepth = 0;
    try {
      return f();
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.range;
      this.parenDepth = saved.parens;
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const token = this.nextNonSpace();
    if (token.typ !== 'string' && token.typ !== 'rawString') this.unexpected(token, context);
    const name = unquote(token.val);
    if (name === undefined) this.errorf('invalid syntax');
    this.expect('rightDelim', context);
    this.subTree(() => {
      const [root, end] = this.itemList();
      if (end.t !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
      this.add({ name, root });
    });
  }

  private add(tree: Tree): void {
    const old = this.trees.get(tree.name);
    if (old === undefined || isEmptyTree(old.root)) this.trees.set(tree.name, tree);
    else if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${quoteString(tree.name)}`);
  }

  private itemList(): [ListNode, Node] {
    if (++this.nesting > MAX_NESTING) this.errorf('template nesting too deep');
    try {
      const list: ListNode = { t: 'list', pos: this.peekNonSpace().pos, nodes: [] };
      while (this.peekNonSpace().typ !== 'eof') {
        const n = this.textOrAction();
        if (n.t === 'end' || n.t === 'else') return [list, n];
        list.nodes.push(n);
      }
      this.errorf('unexpected EOF');
    } finally {
      this.nesting--;
    }
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    if (token.typ === 'text') return { t: 'text', pos: token.pos, text: token.val };
    if (token.typ === 'leftDelim') {
      this.actionLine = token.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    this.unexpected(token, 'input');
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue': {
        const t = this.nextNonSpace();
        if (t.typ !== 'rightDelim') this.unexpected(t, `{{${token.typ}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${token.typ}}} outside {{range}}`);
        return { t: token.typ, pos: token.pos };
      }
      case 'else': {
        const peek = this.peekNonSpace();
        // `{{else if …}}` / `{{else with …}}`: the keyword stays for parseControl.
        if (peek.typ === 'if' || peek.typ === 'with') return { t: 'else', pos: peek.pos };
        return { t: 'else', pos: this.expect('rightDelim', 'else').pos };
      }
      case 'end':
        return { t: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
      case 'range':
      case 'with':
        return this.parseControl(token.typ);
      case 'template': {
        const context = 'template clause';
        const nameToken = this.nextNonSpace();
        const name = this.templateName(nameToken, context);
        let pipe: PipeNode | undefined;
        if (this.nextNonSpace().typ !== 'rightDelim') {
          this.backup();
          pipe = this.pipeline(context, 'rightDelim');
        }
        return { t: 'template', pos: nameToken.pos, name, pipe };
      }
    }
    this.backup();
    const first = this.peek();
    return { t: 'action', pos: first.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.subTree(() => {
      const [root, end] = this.itemList();
      if (end.t !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
      this.add({ name, root });
    });
    return { t: 'template', pos: token.pos, name, pipe };
  }

  private templateName(token: Item, context: string): string {
    if (token.typ !== 'string' && token.typ !== 'rawString') this.unexpected(token, context);
    const name = unquote(token.val);
    if (name === undefined) this.errorf('invalid syntax');
    return name;
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.t === 'else') {
        const peek = this.peek();
        if ((context === 'if' && peek.typ === 'if') || (context === 'with' && peek.typ === 'with')) {
          // `{{else if b}}…{{end}}` is `{{else}}{{if b}}…{{end}}{{end}}` sharing one {{end}}.
          this.next();
          elseList = { t: 'list', pos: next.pos, nodes: [this.parseControl(context)] };
        } else {
          const [list2, end] = this.itemList();
          if (end.t !== 'end') this.errorf(`expected end; found ${nodeString(end)}`);
          elseList = list2;
        }
      }
      return { t: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { t: 'pipe', pos: first.pos, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== 'variable') break;
      const save = this.i;
      this.next();
      const next = this.peekNonSpace();
      if (next.typ === 'assign' || next.typ === 'declare') {
        pipe.isAssign = next.typ === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ t: 'variable', pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
        break;
      }
      if (next.typ === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ t: 'variable', pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const pk = this.peekNonSpace().typ;
          if (pk === 'variable' || pk === 'rightDelim' || pk === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.i = save;
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.typ === end) {
        if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
        pipe.cmds.slice(1).forEach((c, k) => {
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].t)) this.errorf(`non executable command in pipeline stage ${k + 2}`);
        });
        return pipe;
      }
      if (!OPERAND_START.has(token.typ)) this.unexpected(token, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { t: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === 'space') continue;
      if (token.typ === 'rightDelim' || token.typ === 'rightParen') this.backup();
      else if (token.typ !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node || this.peek().typ !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === 'field') fields.push(this.next().val.slice(1));
    switch (node.t) {
      case 'field':
        return { t: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { t: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${quoteString(nodeString(node))}`);
    }
    return { t: 'chain', pos, node, field: fields };
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'identifier':
        if (!(token.val in FUNCS)) this.errorf(`function ${quoteString(token.val)} not defined`);
        return { t: 'identifier', pos: token.pos, ident: token.val };
      case 'dot':
        return { t: 'dot', pos: token.pos };
      case 'nil':
        return { t: 'nil', pos: token.pos };
      case 'variable': {
        const ident = token.val.split('.');
        if (!this.vars.includes(ident[0])) this.errorf(`undefined variable ${quoteString(ident[0])}`);
        return { t: 'variable', pos: token.pos, ident };
      }
      case 'field':
        return { t: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
      case 'bool':
        return { t: 'bool', pos: token.pos, v: token.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.number(token);
      case 'leftParen': {
        if (this.parenDepth >= MAX_PARENS) this.errorf('max expression depth exceeded');
        this.parenDepth++;
        try {
          return this.pipeline('parenthesized pipeline', 'rightParen');
        } finally {
          this.parenDepth--;
        }
      }
      case 'string':
      case 'rawString': {
        const text = unquote(token.val);
        if (text === undefined) this.errorf('invalid syntax');
        return { t: 'string', pos: token.pos, quoted: token.val, text };
      }
    }
    this.backup();
    return undefined;
  }

  private number(token: Item): NumberNode {
    const text = token.val;
    const n: NumberNode = { t: 'number', pos: token.pos, text, isInt: false, isUint: false, isFloat: false, int: 0n, float: 0 };
    if (token.typ === 'charConstant') {
      const r = unquoteChar(text.slice(1), "'");
      if (r === undefined) this.errorf('invalid syntax');
      if (r[2] !== "'") this.errorf(`malformed character constant: ${text}`);
      return { ...n, isInt: true, isUint: true, isFloat: true, int: BigInt(r[0]), float: r[0] };
    }
    if (token.typ === 'complex' || text.endsWith('i')) this.errorf(`complex number ${text} is not supported`);
    const i = parseGoInt(text);
    if (i !== undefined && i >= INT64_MIN && i <= UINT64_MAX) {
      n.isInt = i <= INT64_MAX;
      n.isUint = i >= 0n;
      n.int = i;
      n.isFloat = true;
      n.float = Number(i);
      return n;
    }
    const f = parseGoFloat(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${quoteString(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int = BigInt(f);
      }
      return n;
    }
    this.errorf(`illegal number syntax: ${quoteString(text)}`);
  }
}

export function isEmptyTree(n: Node): boolean {
  if (n.t === 'list') return n.nodes.every(isEmptyTree);
  if (n.t === 'text') return n.text.trim() === '';
  return false;
}

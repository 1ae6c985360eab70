// strings.render_template: executor
import { quoteString } from '../gofmt';
import { BUILTINS, callFunc, index, length, numberMethod, slice } from './funcs';
import { Lines } from './lexer';
import { MAX_OUTPUT, MAX_STEPS, MAX_TEMPLATE_DEPTH, MAX_WORK, TemplateError } from './limits';
import { FUNCS, Sig } from './parser';
import { ArgNode, BranchNode, ChainNode, CommandNode, IdentifierNode, Node, NumberNode, PipeNode, TemplateNode, Tree, VariableNode, nodeString } from './tree';
import { INVALID, TV, fmtV, goTypeName, sortedKeys, stringSize, truth, unwrap } from './values';

export class FuncError extends Error {}

/** What a {{break}} or {{continue}} tells the range around it. */
export type Flow = 'break' | 'continue' | undefined;

export interface Variable {
  name: string;
  value: TV;
}

export class Exec {
  private readonly out: string[] = [];
  private outLen = 0;
  private steps = 0;
  private work = 0;
  private node: Node | undefined;
  private tmplName = 'template';
  private depth = 0;
  private vars: Variable[] = [];

  constructor(
    private readonly lines: Lines,
    private readonly trees: Map<string, Tree>,
  ) {}

  run(data: TV): string {
    const root = this.trees.get('template') as Tree;
    this.vars = [{ name: '$', value: data }];
    this.walk(data, root.root);
    return this.out.join('');
  }

  private errorf(msg: string): never {
    const name = quoteString(this.tmplName);
    if (!this.node) throw new TemplateError(`template: ${this.tmplName}: ${msg}`);
    throw new TemplateError(`template: ${this.lines.location(this.node.pos)}: executing ${name} at <${nodeString(this.node)}>: ${msg}`);
  }

  private at(n: Node): void {
    this.node = n;
  }

  private step(): void {
    if (++this.steps > MAX_STEPS) throw new TemplateError(`template: execution stopped after ${MAX_STEPS} steps`);
  }

  private charge(n: number): void {
    this.work += n;
    if (this.work > MAX_WORK) throw new TemplateError(`template: execution stopped after handling ${MAX_WORK} characters`);
  }

  private write(s: string): void {
    this.out.push(s);
    this.outLen += s.length;
    if (this.outLen > MAX_OUTPUT) throw new TemplateError(`template: output larger than ${MAX_OUTPUT} characters`);
  }

  // --- variables

  private push(name: string, value: TV): void {
    this.vars.push({ name, value });
  }
  private setVar(name: string, value: TV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private varValue(name: string): TV {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking
  // walk reports a {{break}} or {{continue}} to the range around it. Any error ends the whole
  // execution, so variables need restoring only on the normal path.

  private walk(dot: TV, node: Node): Flow {
    this.step();
    this.at(node);
    switch (node.t) {
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.write(v.k === 'invalid' ? '<no value>' : fmtV(v));
        }
        return undefined;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list':
        for (const n of node.nodes) {
          const flow = this.walk(dot, n);
          if (flow) return flow;
        }
        return undefined;
      case 'range':
        this.walkRange(node, dot);
        return undefined;
      case 'template':
        this.walkTemplate(node, dot);
        return undefined;
      case 'text':
        this.write(node.text);
        return undefined;
      case 'break':
      case 'continue':
        return node.t;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: TV): Flow {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    let flow: Flow;
    if (truth(val)) flow = this.walk(node.t === 'with' ? val : dot, node.list);
    else if (node.elseList) flow = this.walk(dot, node.elseList);
    this.vars.length = mark;
    return flow;
  }

  private walkRange(r: BranchNode, dot: TV): void {
    this.at(r);
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, r.pipe);
    const inner = this.vars.length;
    const decl = r.pipe.decl;
    /** One iteration; false after a {{break}}. */
    const one = (index: TV, elem: TV): boolean => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
        else this.vars[this.vars.length - 1].value = elem;
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
        else this.vars[this.vars.length - 2].value = index;
      }
      const flow = this.walk(elem, r.list);
      this.vars.length = inner;
      return flow !== 'break';
    };
    let ran = true;
    switch (val.k) {
      case 'slice':
        for (let i = 0; i < val.v.length && one({ k: 'int', v: BigInt(i) }, { k: 'iface', v: val.v[i] }); i++);
        ran = val.v.length > 0;
        break;
      case 'map': {
        const keys = sortedKeys(val.v);
        for (let i = 0; i < keys.length && one({ k: 'string', v: keys[i] }, { k: 'iface', v: val.v.get(keys[i]) as TV }); i++);
        ran = keys.length > 0;
        break;
      }
      case 'int':
        if (decl.length > 1) this.errorf(`can't use ${fmtV(val)} to iterate over more than one variable`);
        for (let i = 0n; i < val.v && one(INVALID, { k: 'int', v: i }); i++);
        ran = val.v > 0n;
        break;
      case 'invalid':
        ran = false;
        break;
      default:
        this.errorf(`range can't iterate over ${fmtV(val)}`);
    }
    if (!ran && r.elseList) this.walk(dot, r.elseList);
    this.vars.length = mark;
  }

  private walkTemplate(t: TemplateNode, dot: TV): void {
    this.at(t);
    const tmpl = this.trees.get(t.name);
    if (!tmpl) this.errorf(`template ${quoteString(t.name)} not defined`);
    if (this.depth >= MAX_TEMPLATE_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : INVALID;
    const saved = { vars: this.vars, name: this.tmplName };
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = t.name;
    this.depth++;
    this.walk(newDot, tmpl.root);
    this.vars = saved.vars;
    this.tmplName = saved.name;
    this.depth--;
  }

  // --- evaluation

  private evalPipeline(dot: TV, pipe: PipeNode): TV {
    this.at(pipe);
    let value: TV | undefined;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A value read out of an interface{} is used as what it holds.
      if (value.k === 'iface') value = value.v;
    }
    const result = value ?? INVALID;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], result);
      else this.push(v.ident[0], result);
    }
    return result;
  }

  private notAFunction(args: ArgNode[], final: TV | undefined): void {
    if (args.length > 1 || final !== undefined) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private evalCommand(dot: TV, cmd: CommandNode, final: TV | undefined): TV {
    this.step();
    const first = cmd.args[0];
    switch (first.t) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.t) {
      case 'bool':
        return { k: 'bool', v: first.v };
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return { k: 'string', v: first.text };
    }
  }

  private idealConstant(n: NumberNode): TV {
    this.at(n);
    const hexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return { k: 'float', v: n.float };
    if (n.isInt) return { k: 'int', v: n.int };
    this.errorf(`${n.text} overflows int`);
  }

  private evalChain(dot: TV, chain: ChainNode, args: ArgNode[] | undefined, final: TV | undefined): TV {
    this.at(chain);
    if (chain.node.t === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = this.evalArg(dot, 'value', chain.node);
    return this.evalFieldChain(dot, receiver, chain, chain.field, args, final);
  }

  private evalVariable(dot: TV, v: VariableNode, args: ArgNode[] | undefined, final: TV | undefined): TV {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: TV, receiver: TV, node: Node, ident: string[], args: ArgNode[] | undefined, final: TV | undefined): TV {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(dot, ident[i], node, undefined, undefined, receiver);
    return this.evalField(dot, ident[ident.length - 1], node, args, final, receiver);
  }

  private evalField(dot: TV, field: string, node: Node, args: ArgNode[] | undefined, final: TV | undefined, receiver: TV): TV {
    if (receiver.k === 'invalid') return INVALID;
    const typ = goTypeName(receiver);
    const r = unwrap(receiver);
    if (r.k === 'invalid') this.errorf(`nil pointer evaluating ${typ}.${field}`);
    // json.Number's methods.
    if (r.k === 'number' && (field === 'String' || field === 'Float64' || field === 'Int64')) {
      return this.evalCall(dot, field, numberMethod(r.v, field), { fixed: [] }, node, args, final);
    }
    const hasArgs = (args !== undefined && args.length > 1) || final !== undefined;
    if (r.k === 'map') {
      if (hasArgs) this.errorf(`${field} is not a method but has arguments`);
      const v = r.v.get(field);
      return v === undefined ? INVALID : { k: 'iface', v };
    }
    this.errorf(`can't evaluate field ${field} in type ${typ}`);
  }

  private evalFunction(dot: TV, node: IdentifierNode, cmd: Node, args: ArgNode[] | undefined, final: TV | undefined): TV {
    this.at(node);
    const name = node.ident;
    const sig = FUNCS[name];
    if (!sig) this.errorf(`${quoteString(name)} is not a defined function`);
    return this.evalCall(dot, name, undefined, sig, cmd, args, final);
  }

  /** Calls builtin `name` (or, for a method, `method`) with the command's arguments. */
  private evalCall(dot: TV, name: string, method: ((a: TV[]) => TV) | undefined, sig: Sig, node: Node, args: ArgNode[] | undefined, final: TV | undefined): TV {
    const argNodes = args ? args.slice(1) : [];
    const numIn = argNodes.length + (final !== undefined ? 1 : 0);
    const numFixed = sig.fixed.length;
    if (sig.variadic) {
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${argNodes.length}`);
    } else if (numIn !== numFixed) this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);

    if (!method && (name === 'and' || name === 'or')) {
      // and/or stop at the first argument that decides.
      let v: TV = INVALID;
      for (const a of argNodes) {
        v = this.evalArg(dot, 'value', a);
        if (truth(v) === (name === 'or')) return v;
      }
      return final !== undefined ? final : v;
    }
    const argv: TV[] = argNodes.map((a, i) => this.evalArg(dot, i < numFixed ? sig.fixed[i] : 'value', a));
    if (final !== undefined) {
      const t = numIn - 1 < numFixed ? sig.fixed[numIn - 1] : 'value';
      argv.push(this.validateType(final, t));
    }
    try {
      // Strings read and strings or lists made are paid for; lengths and lookups are not.
      for (const a of argv) this.charge(stringSize(a));
      const result = method ? method(argv) : name === 'call' ? callFunc(argNodes[0] ? nodeString(argNodes[0]) : '', argv) : BUILTINS[name](argv);
      this.charge(stringSize(result) + (result.k === 'slice' ? result.v.length : 0));
      return result;
    } catch (e) {
      if (!(e instanceof FuncError)) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  private evalArg(dot: TV, typ: 'value' | 'string', n: ArgNode): TV {
    this.at(n);
    switch (n.t) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'string') this.errorf('cannot assign nil to string');
        return INVALID;
      case 'field':
        return this.validateType(this.evalFieldChain(dot, dot, n, n.ident, [n], undefined), typ);
      case 'variable':
        return this.validateType(this.evalVariable(dot, n, undefined, undefined), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, undefined, undefined), typ);
      case 'chain':
        return this.validateType(this.evalChain(dot, n, undefined, undefined), typ);
    }
    if (typ === 'string') {
      if (n.t === 'string') return { k: 'string', v: n.text };
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    switch (n.t) {
      case 'bool':
        return { k: 'bool', v: n.v };
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return { k: 'string', v: n.text };
    }
  }

  /** An argument for a parameter of Go type string (printf's format) or any. */
  private validateType(v: TV, typ: 'value' | 'string'): TV {
    if (typ === 'value') return v;
    if (v.k === 'invalid') this.errorf('invalid value; expected string');
    let x = v;
    if (x.k === 'iface') {
      if (x.v.k === 'invalid') this.errorf('wrong type for value; expected string; got interface {}');
      x = x.v;
    }
    if (x.k !== 'string') this.errorf(`wrong type for value; expected string; got ${goTypeName(x)}`);
    return x;
  }
}

// strings.render_template: parse tree
import { quoteString } from '../gofmt';
import { length } from './funcs';

export interface Pos {
  pos: number;
}
export interface TextNode extends Pos {
  t: 'text';
  text: string;
}
export interface ActionNode extends Pos {
  t: 'action';
  pipe: PipeNode;
}
export interface BranchNode extends Pos {
  t: 'if' | 'with' | 'range';
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
}
export interface TemplateNode extends Pos {
  t: 'template';
  name: string;
  pipe?: PipeNode;
}
export interface SimpleNode extends Pos {
  t: 'break' | 'continue' | 'end' | 'else';
}
export interface ListNode extends Pos {
  t: 'list';
  nodes: Node[];
}
export interface PipeNode extends Pos {
  t: 'pipe';
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends Pos {
  t: 'command';
  args: ArgNode[];
}
export interface FieldNode extends Pos {
  t: 'field';
  ident: string[];
}
export interface VariableNode extends Pos {
  t: 'variable';
  ident: string[];
}
export interface ChainNode extends Pos {
  t: 'chain';
  node: ArgNode;
  field: string[];
}
export interface IdentifierNode extends Pos {
  t: 'identifier';
  ident: string;
}
export interface LiteralNode extends Pos {
  t: 'dot' | 'nil';
}
export interface BoolNode extends Pos {
  t: 'bool';
  v: boolean;
}
export interface StringNode extends Pos {
  t: 'string';
  quoted: string;
  text: string;
}
export interface NumberNode extends Pos {
  t: 'number';
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
}

export type ArgNode = FieldNode | VariableNode | ChainNode | IdentifierNode | PipeNode | LiteralNode | BoolNode | StringNode | NumberNode;
export type Node = TextNode | ActionNode | BranchNode | TemplateNode | SimpleNode | ListNode | CommandNode | ArgNode;

export interface Tree {
  name: string;
  root: ListNode;
}

/** Node.String(), for the `at <…>` of execution errors. */
export function nodeString(n: Node): string {
  switch (n.t) {
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'with':
    case 'range':
      return `{{${n.t} ${nodeString(n.pipe)}}}${nodeString(n.list)}${n.elseList ? `{{else}}${nodeString(n.elseList)}` : ''}{{end}}`;
    case 'template':
      return n.pipe ? `{{template ${quoteString(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${quoteString(n.name)}}}`;
    case 'break':
    case 'continue':
    case 'end':
    case 'else':
      return `{{${n.t}}}`;
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'pipe': {
      const decl = n.decl.length > 0 ? n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ') : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.t === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'field':
      return n.ident.map((x) => '.' + x).join('');
    case 'variable':
      return n.ident.join('.');
    case 'chain':
      return (n.node.t === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((x) => '.' + x).join('');
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.v);
    case 'string':
      return n.quoted;
    case 'number':
      return n.text;
  }
}

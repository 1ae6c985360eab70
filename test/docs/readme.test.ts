// README.md, run for real, so that it cannot drift from what Regent does.
//
// Every fenced block is read from README.md when the test runs (nothing is copied here) and run as
// a newcomer would type it; the result comments (`# {"result":1}`, `# 204`, a `tar tzf` listing,
// `// [ { result: true } ]`) are the assertions. A block the test does not know how to run, a
// program it does not expect, or an inline command (`npm …`, `docker …`) it does not account for
// fails the test, so the README cannot gain an example nothing checks.
//
// How blocks run:
// - Blocks are grouped into sessions (PLAN, below): a session is one terminal, so a block that
//   continues another (`regent check policy` after `regent eval` made `demo/policy`) runs in the
//   directory the previous block left (a `cd` carries over) and sees its files and processes.
// - A session starts in a fresh temporary directory holding a copy of the checkout's `policies/`
//   and `bench/fixtures/` (the paths the commands name; copies, so `fmt --write` and the watcher's
//   saves never touch the checkout), or in the repository root when the block says
//   "from the repository root". The set-up session is the checkout itself: `npm start` needs
//   its package.json; its curls only read files.
// - Each command runs in bash, one at a time, as written. Two shell functions stand in for the
//   environment: `npx regent …` runs `node <this checkout>/bin/regent.js …` (what `npx` resolves
//   to in the checkout; the real resolution is checked once, see INLINE), and `curl …` adds
//   `--write-out '%{stderr}%{http_code}'`, which leaves its output alone and reports the HTTP
//   status on stderr, so that `# 204` can be checked.
//
// Substitutions, the only changes made to the README's text (see `substitute`):
// - Port: the service's 8181 (written, or the default of `regent run`, `npm start`,
//   `regent sync --opa-url` and `regent audit --server`) becomes a free port: other suites run
//   beside this one. `localhost:8181` → `localhost:<port>`, `--addr :8181` → `--addr :<port>`, and
//   the flag is added where the README relies on the default.
// - `~/.kube/config`: HOME is a temporary directory whose `.kube/config` points at the Kubernetes
//   API test server (test/support/kube-api/), holding the cluster the audit example describes.
// - The JavaScript example runs as `node script.js` (CommonJS: no package.json above it) with
//   NODE_PATH at this checkout's node_modules, as `npm install @open-policy-agent/opa-wasm` would
//   provide the SDK.
// - NARROWED, to keep the suite under 90 s on a loaded 2-core machine: `regent test … --bench`
//   runs every passing test for 200 ms (151 tests, ~30 s), so it gets `--run latest` (the README's
//   own selector); `regent conformance` over a whole suite takes ~30 s per engine, so the runs
//   without `--filter` get `--filter '^regexmatch/'` (a folder in both v0 and v1). The full runs
//   are CI's (`.ci/run`, both engines) and test/conformance/guard.test.ts's (interpreter).
//
// Long-running commands run with a bounded lifetime: `regent run` until its /health answers,
// `regent sync` until the service reports the first sync, `regent test --watch` until a save
// re-runs it; background ones (`… &`) until the session ends. The test then stops them with
// Ctrl-C (SIGINT to the process group) and expects a clean exit, or SIGTERM for background jobs.
//
// Checked, not run (the strongest check available here; reasons beside each): `npm ci`,
// `npm test`, `npm run build`, `npm run typecheck`, `npm run bench`, `.ci/run`,
// `npx jest test/<folder>`, `docker compose up`, `kubectl apply -k deploy/` (see SETUP and INLINE).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import * as vm from 'node:vm';
import * as yaml from 'js-yaml';
import { KubeApiServer } from '../support/kube-api/server';
import type { KubeObject } from '../support/kube-api/store';
import { freePort, waitFor } from '../support/processes';

const REPO = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
/** What a fresh session directory holds: copies of the checkout's paths the commands name. */
const CHECKOUT_COPIES = ['policies', 'bench/fixtures'];
/** The narrowing selectors (see the header). */
const NARROW_TESTS = 'latest';
const NARROW_CONFORMANCE = '^regexmatch/';

// ---------------------------------------------------------------------------------------------
// README → blocks → commands

interface Block {
  n: number;
  lang: string;
  body: string;
  /** README line of the opening fence. */
  line: number;
  /** `<section>#<ordinal>`: the section is the heading's first code span (`regent run`) or its text. */
  key: string;
}

function readBlocks(md: string): Block[] {
  const lines = md.split('\n');
  const blocks: Block[] = [];
  const ordinals = new Map<string, number>();
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading) section = /`([^`]+)`/.exec(heading[1])?.[1] ?? heading[1].trim();
    const fence = /^(`{3,}|~{3,})\s*([\w+-]*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const line = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith(fence[1]); i++) body.push(lines[i]);
    if (i === lines.length) throw new Error(`README.md:${line}: unterminated code block`);
    const ordinal = (ordinals.get(section) ?? 0) + 1;
    ordinals.set(section, ordinal);
    blocks.push({ n: blocks.length + 1, lang: fence[2], body: body.join('\n'), line, key: `${section}#${ordinal}` });
  }
  return blocks;
}

interface Command {
  /** As written, continuation lines and here-documents included, without the result comment. */
  text: string;
  /** The command lines alone (no here-document bodies): what `programs` reads. */
  head: string;
  comment?: string;
  line: number;
}

type Quote = '' | "'" | '"' | "$'";

/** One line of shell: its code, its comment (a `#` starting a word outside quotes), the quote left open. */
function scanShell(line: string, quote: Quote): { code: string; comment?: string; quote: Quote } {
  let q = quote;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q === "'") {
      if (c === "'") q = '';
    } else if (q === '"' || q === "$'") {
      if (c === '\\') i++;
      else if (c === (q === '"' ? '"' : "'")) q = '';
    } else if (c === '\\') i++;
    else if (c === "'") q = "'";
    else if (c === '"') q = '"';
    else if (c === '$' && line[i + 1] === "'") (q = "$'"), i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return { code: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim(), quote: q };
  }
  return { code: line, quote: q };
}

/** A shell block's commands, and its comment lines (directives such as "from the repository root:"). */
function splitShell(block: Block): { directives: string[]; commands: Command[] } {
  const lines = block.body.split('\n');
  const directives: string[] = [];
  const commands: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    if (/^\s*#/.test(lines[i])) {
      directives.push(lines[i].replace(/^\s*#\s?/, ''));
      continue;
    }
    const first = i;
    const code: string[] = [];
    const comments: string[] = [];
    const heredocs: string[] = [];
    let quote: Quote = '';
    for (;;) {
      const s = scanShell(lines[i], quote);
      quote = s.quote;
      code.push(s.code);
      if (s.comment !== undefined) comments.push(s.comment);
      for (const m of s.code.matchAll(/<<-?\s*(['"]?)([A-Za-z_]\w*)\1/g)) heredocs.push(m[2]);
      if (!quote && !s.code.endsWith('\\')) break;
      if (++i === lines.length) throw new Error(`README.md:${block.line + 1 + first}: the command does not end`);
    }
    const head = code.join('\n');
    for (const word of heredocs) {
      do {
        if (++i === lines.length) throw new Error(`README.md:${block.line + 1 + first}: here-document ${word} does not end`);
        code.push(lines[i]);
      } while (lines[i] !== word);
    }
    if (comments.length > 1) throw new Error(`README.md:${block.line + 1 + first}: one result comment per command, at its end`);
    commands.push({ text: code.join('\n'), head, comment: comments[0], line: block.line + 1 + first });
  }
  return { directives, commands };
}

/** The programs a command line runs (`npx regent`, `curl`, `grep`, …), split at `&&`, `||`, `|`, `;`, `&`. */
function programs(head: string): string[] {
  const parts: string[] = [];
  let q: Quote = '';
  let cur = '';
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (!q && /[;&|]/.test(c)) {
      parts.push(cur);
      cur = '';
      if (head[i + 1] === c) i++;
      continue;
    }
    cur += c;
    if (q === "'") {
      if (c === "'") q = '';
    } else if (q) {
      if (c === '\\') cur += head[++i] ?? '';
      else if (c === (q === '"' ? '"' : "'")) q = '';
    } else if (c === '\\') cur += head[++i] ?? '';
    else if (c === "'" || c === '"') q = c;
    else if (c === '$' && head[i + 1] === "'") (q = "$'"), (cur += head[++i]);
  }
  parts.push(cur);
  return parts
    .map((p) => p.trim().split(/\s+/).filter((w) => w && !/^\w+=/.test(w)))
    .filter((w) => w.length > 0)
    .map((w) => (w[0] === 'npx' ? `npx ${w[1]}` : w[0]));
}

/** The commands the runner knows how to run (anything else fails the test). */
const KNOWN_PROGRAMS = new Set(['npx regent', 'curl', 'grep', 'tar', 'mkdir', 'cd', 'cat', 'echo']);

// ---------------------------------------------------------------------------------------------
// Result comments → checks

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** HTTP status, for curl. */
  status?: number;
}

interface Ctx {
  session: Session;
  cmd: Command;
  /** For a command that ran to completion. */
  outcome?: Outcome;
  /** For a long-running one (still running when its checks run). */
  proc?: Proc;
}

interface Check {
  what: string;
  /** The check states the exit code itself (otherwise 0 is expected). */
  exit?: boolean;
  /** The check states the HTTP status itself (otherwise 2xx is expected of curl). */
  status?: boolean;
  run(ctx: Ctx): void | Promise<void>;
}

const done = (ctx: Ctx): Outcome => {
  if (!ctx.outcome) throw new Error(`README.md:${ctx.cmd.line}: this result comment needs the command to finish`);
  return ctx.outcome;
};
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A pattern as the README writes results: literal text in which `…` stands for any elided text. */
const elided = (pattern: string): RegExp => new RegExp(`^${pattern.split('…').map(escapeRe).join('[\\s\\S]*')}$`);
/** JSON output compacted as the README writes it (`{"result":1}`), other output trimmed. */
function compact(text: string): string {
  const t = text.trim();
  try {
    return JSON.stringify(JSON.parse(t));
  } catch {
    return t;
  }
}
/** Every value of `key` anywhere in a JSON document. */
function valuesOf(doc: unknown, key: string): unknown[] {
  if (Array.isArray(doc)) return doc.flatMap((x) => valuesOf(x, key));
  if (!doc || typeof doc !== 'object') return [];
  return Object.entries(doc).flatMap(([k, v]) => (k === key ? [v, ...valuesOf(v, key)] : valuesOf(v, key)));
}
const rel = (ctx: Ctx, p: string): string => path.relative(ctx.session.root, path.resolve(ctx.session.cwd, p));
/** The command's words after `npx regent`, as written. */
const regentArgs = (cmd: Command): string[] => cmd.head.replace(/\\\n/g, ' ').trim().split(/\s+/).slice(2).filter((w) => w !== '&');

async function getStatus(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** `regent run`'s default --addr, from its help. */
function defaultAddr(): string {
  const help = spawnSync(process.execPath, [path.join(REPO, 'bin', 'regent.js'), 'run', '--help'], { encoding: 'utf8' }).stdout;
  const m = /--addr <addr>.*\(default: "([^"]*)"\)/.exec(help);
  if (!m) throw new Error(`no default for --addr in regent run --help:\n${help}`);
  return m[1];
}

/** Rule names of the test files under a directory: `data.<package>.<rule>` for test_ and todo_ rules. */
function testRules(dir: string): { tests: Set<string>; todos: Set<string> } {
  const tests = new Set<string>();
  const todos = new Set<string>();
  for (const file of regoFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    const pkg = /^package\s+([\w.]+)/m.exec(text)?.[1];
    for (const m of text.matchAll(/^(test_\w+|todo_\w+)\b/gm)) (m[1].startsWith('todo_') ? todos : tests).add(`data.${pkg}.${m[1]}`);
  }
  return { tests, todos };
}
function regoFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.rego'))
    .sort()
    .map((f) => path.join(dir, f));
}
const sessionTree = (root: string, dir: string): Map<string, string> =>
  new Map(fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(root, dir, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(root, dir, f), 'utf8')]));

/** The words of `npm start`'s command, without the environment it sets (README, "Memory"). */
function startCommand(): string[] {
  const words = PKG.scripts.start.split(/\s+/);
  return words.slice(words.findIndex((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w)));
}

/** Result comments in words, by their exact text; forms (JSON, status, `key: value`, …) are in `parseComment`. */
const PHRASES: Record<string, Check> = {
  // Set up
  'install, build, and serve the bundled policies/ on http://localhost:8181': {
    what: 'npm ci installs from the lock (dry run), `prepare` builds, `npm start` serves policies/ on the default :8181',
    async run(ctx) {
      expect(PKG.scripts.prepare).toBe('npm run build');
      expect(startCommand().slice(2)).toEqual(['run', 'policies/']);
      expect(defaultAddr()).toBe(':8181');
      expect(await getStatus(`${ctx.session.url}/health`)).toEqual({ status: 200, body: '{}' });
    },
  },
  'typecheck, build, then every jest suite under test/': {
    what: 'npm test runs typecheck, build and jest on every suite under test/',
    run() {
      const steps = PKG.scripts.test.split(/\s*&&\s*/);
      expect(steps.slice(0, 2)).toEqual(['npm run typecheck', 'npm run build']);
      expect(steps[2]).toMatch(/node_modules\/jest\/bin\/jest\.js$/); // no path filter: every suite
      expect((require(path.join(REPO, 'jest.config.js')) as { roots: string[] }).roots).toEqual(['<rootDir>/test']);
      expect(path.relative(REPO, __filename).startsWith(`test${path.sep}`)).toBe(true);
    },
  },
  // the service
  'compile and eval histograms': {
    what: 'Prometheus histograms of compilation and evaluation',
    run(ctx) {
      const { stdout } = done(ctx);
      expect(stdout).toMatch(/^# TYPE regent_\w*compile\w* histogram$/m);
      expect(stdout).toMatch(/^# TYPE regent_\w*eval\w* histogram$/m);
    },
  },
  '+ base64 JSON Patch if any': {
    what: 'patchType JSONPatch and base64 JSON Patch ops exactly when there is a patch',
    run(ctx) {
      const { response } = JSON.parse(done(ctx).stdout) as { response: { patch?: string; patchType?: string } };
      if (response.patch === undefined) expect(response.patchType).toBeUndefined();
      else {
        expect(response.patchType).toBe('JSONPatch');
        expect(Array.isArray(JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')))).toBe(true);
      }
    },
  },
  'npm start does exactly this': {
    what: 'npm start runs these arguments (with the default --addr) and the service answers',
    async run(ctx) {
      const start = startCommand();
      expect(start.slice(0, 2)).toEqual(['node', 'bin/regent.js']);
      const args = regentArgs(ctx.cmd);
      const addr = args.indexOf('--addr');
      expect(args[addr + 1]).toBe(defaultAddr());
      expect(args.filter((_, i) => i !== addr && i !== addr + 1)).toEqual(start.slice(2));
      expect(await getStatus(`${ctx.session.url}/health`)).toEqual({ status: 200, body: '{}' });
    },
  },
  '/health is 500 until the first sync': {
    what: 'GET /health is 500 before the sidecar has synced (200 after: the sidecar\'s readiness)',
    async run(ctx) {
      expect((await getStatus(`${ctx.session.url}/health`)).status).toBe(500);
    },
  },
  // regent test
  'every test_ rule; todo_ rules are reported as skipped': {
    what: '-v lists every test_ rule with its result, todo_ rules as SKIPPED, and the counts',
    run(ctx) {
      const { stdout } = done(ctx);
      const { tests, todos } = testRules(path.resolve(ctx.session.cwd, regentArgs(ctx.cmd)[1]));
      expect(todos.size).toBeGreaterThan(0); // the session plants one (PLAN)
      const listed = (re: RegExp): Set<string> => new Set([...stdout.matchAll(re)].map((m) => m[1]));
      expect(listed(/^(data\.\S+): (?:PASS|FAIL|ERROR) \(/gm)).toEqual(tests);
      expect(listed(/^(data\.\S+): SKIPPED\b/gm)).toEqual(todos);
      expect(stdout).toMatch(new RegExp(`^${tests.size} passed, 0 failed, ${todos.size} skipped$`, 'm'));
    },
  },
  're-run on every save (Ctrl-C to stop)': {
    what: 'a save re-runs the tests and prints a fresh report; Ctrl-C exits 0',
    async run(ctx) {
      const proc = ctx.proc!;
      const file = regoFiles(path.resolve(ctx.session.cwd, regentArgs(ctx.cmd)[1]))[0];
      const from = proc.out.length;
      const report = (): boolean => /\d+ passed, \d+ failed/.test(proc.out.slice(from));
      // Save (the same content, as an editor does) until a report follows: the first save may
      // land before the watcher is set up.
      await waitFor(async () => {
        fs.writeFileSync(file, fs.readFileSync(file));
        await waitFor(report, 1_000).catch(() => undefined);
        return report();
      }, 20_000, () => `a report after saving ${file}:\n${proc.out}`);
      expect(proc.out.slice(from)).toMatch(/(\d+) passed, 0 failed/);
      expect(await stopForeground(proc)).toBe(0);
    },
  },
  'ns/op per passing test': {
    what: 'one ns/op line per passing test',
    run(ctx) {
      const { stdout } = done(ctx);
      const passed = Number(/^(\d+) passed/m.exec(stdout)?.[1]);
      expect(passed).toBeGreaterThan(0);
      expect(stdout.match(/ \d+ ns\/op$/gm)).toHaveLength(passed);
    },
  },
  // regent check
  'silent, exit 0, when everything compiles': {
    what: 'no output and exit 0',
    exit: true,
    run(ctx) {
      expect(done(ctx)).toEqual({ code: 0, stdout: '', stderr: '' });
    },
  },
  // regent fmt (the session plants an unformatted copy of the file the first command prints)
  'print the formatted module': {
    what: 'prints the module formatted: the checkout\'s (canonical) text of the planted, unformatted file',
    run(ctx) {
      const file = rel(ctx, regentArgs(ctx.cmd).at(-1)!);
      expect(ctx.session.planted).toContain(file);
      expect(done(ctx).stdout).toBe(fs.readFileSync(path.join(REPO, file), 'utf8'));
    },
  },
  'CI: exit 1 when a file needs formatting': {
    what: 'exit 1, listing the planted file',
    exit: true,
    run(ctx) {
      expect(done(ctx).code).toBe(1);
      expect(done(ctx).stdout.trim().split('\n')).toEqual(ctx.session.planted);
    },
  },
  'unified diff of what would change': {
    what: 'a unified diff of the planted file, and of nothing else',
    run(ctx) {
      const { stdout } = done(ctx);
      expect(stdout.match(/^\+\+\+ \S+/gm)).toEqual(ctx.session.planted.map((f) => `+++ ${f}`));
      expect(stdout.match(/^--- \S+/gm)).toEqual(ctx.session.planted.map((f) => `--- ${f}`));
      expect(stdout).toMatch(/^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m);
    },
  },
  'rewrite in place': {
    what: 'afterwards the tree equals the checkout\'s (the planted file is formatted again)',
    run(ctx) {
      const dir = regentArgs(ctx.cmd).at(-1)!;
      expect(sessionTree(ctx.session.cwd, dir)).toEqual(sessionTree(REPO, rel(ctx, dir)));
    },
  },
  // regent conformance
  'per-folder table': {
    what: 'a header, one row of counts per folder, and their totals',
    run(ctx) {
      const lines = done(ctx).stdout.trim().split('\n');
      expect(lines[0].split(/\s+/)).toEqual(['folder', 'passed', 'failed', 'skipped']);
      const rows = lines.slice(1, -1).map((l) => l.split(/\s+/));
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r).toEqual([expect.any(String), ...r.slice(1).map(() => expect.stringMatching(/^\d+$/))]);
      const sum = (i: number): number => rows.reduce((n, r) => n + Number(r[i]), 0);
      expect(lines.at(-1)).toBe(`${sum(1)} passed, ${sum(2)} failed, ${sum(3)} skipped`);
    },
  },
  'v0 folders use v0 syntax': {
    what: 'the JSON report has v0 and v1 folders, and v0 cases (v0 syntax) parse and pass',
    run(ctx) {
      const report = JSON.parse(done(ctx).stdout) as { folders: { folder: string; passed: number; failures: { reason: string }[] }[] };
      const v0 = report.folders.filter((f) => f.folder.startsWith('v0/'));
      expect(v0.length).toBeGreaterThan(0);
      expect(report.folders.some((f) => f.folder.startsWith('v1/'))).toBe(true);
      expect(v0.reduce((n, f) => n + f.passed, 0)).toBeGreaterThan(0);
      expect(v0.flatMap((f) => f.failures.map((x) => x.reason)).filter((r) => /rego_parse_error/.test(r))).toEqual([]);
    },
  },
};

/** The checks a result comment states, with the defaults (exit 0; HTTP 2xx for curl). */
function parseComment(cmd: Command): Check[] {
  const checks: Check[] = [];
  const comment = cmd.comment;
  const progs = programs(cmd.head);
  const words = cmd.head.trim().split(/\s+/);
  if (comment !== undefined && words[0] === 'tar' && /^-?t/.test(words[1] ?? '')) {
    // `tar t…`: the comment is the listing, names apart by two spaces, in the archive's order.
    const names = comment.split(/\s{2,}/);
    checks.push({ what: `lists ${names.join(', ')}`, run: (ctx) => expect(done(ctx).stdout.trim().split('\n')).toEqual(names) });
  } else if (comment !== undefined && PHRASES[comment]) checks.push(PHRASES[comment]);
  else if (comment !== undefined) for (const clause of splitClauses(comment)) checks.push(clauseCheck(clause));
  if (!checks.some((c) => c.exit)) checks.push({ what: 'exit 0', exit: true, run: (ctx) => expect(done(ctx).code).toBe(0) });
  if (progs.includes('curl') && !checks.some((c) => c.status)) checks.push({ what: 'HTTP 2xx', status: true, run: (ctx) => expect(String(done(ctx).status)).toMatch(/^2\d\d$/) });
  return checks;
}

/** Visits each character of `text` outside JSON strings with the bracket depth after it; `visit` returns true to stop. */
function walkOutsideStrings(text: string, visit: (i: number, depth: number) => boolean | void): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if ('{[('.includes(c)) depth++;
    else if ('}])'.includes(c)) depth--;
    if (visit(i, depth)) return;
  }
}

/** Splits at `, ` outside brackets, parentheses and strings. */
function splitClauses(comment: string): string[] {
  const out: string[] = [];
  let start = 0;
  walkOutsideStrings(comment, (i, depth) => {
    if (depth === 0 && comment[i] === ',' && comment[i + 1] === ' ') {
      out.push(comment.slice(start, i));
      start = i + 2;
    }
  });
  out.push(comment.slice(start));
  return out.map((s) => s.trim());
}

/** Where a JSON-like pattern that starts the clause ends (its opening bracket closed). */
function patternEnd(clause: string): number {
  let end = -1;
  walkOutsideStrings(clause, (i, depth) => depth === 0 && (end = i + 1) > 0);
  if (end < 0 || !'}]'.includes(clause[end - 1])) throw new Error(`unbalanced result ${clause}`);
  return end;
}

function clauseCheck(clause: string): Check {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{3})$/.exec(clause))) {
    const status = Number(m[1]);
    return { what: `HTTP ${status}`, status: true, run: (ctx) => expect(done(ctx).status).toBe(status) };
  }
  if ((m = /^exit (\d+)$/.exec(clause))) {
    const code = Number(m[1]);
    return { what: `exit ${code}`, exit: true, run: (ctx) => expect(done(ctx).code).toBe(code) };
  }
  if (/^[[{]/.test(clause)) {
    const end = patternEnd(clause);
    const pattern = clause.slice(0, end);
    // A parenthesis after the result is a remark (another situation, where the value comes from).
    if (!/^(\(.*\))?$/.test(clause.slice(end).trim())) throw new Error(`result comment ${JSON.stringify(clause)}: text after the result that is not a (remark)`);
    return { what: `prints ${pattern}`, run: (ctx) => expect(compact(done(ctx).stdout)).toMatch(elided(pattern)) };
  }
  if ((m = /^table: "(.*)"$/.exec(clause))) {
    const line = elided(m[1]);
    return { what: `a table line ${m[1]}`, run: (ctx) => expect(done(ctx).stdout.split('\n').filter((l) => line.test(l))).not.toHaveLength(0) };
  }
  if ((m = /^([A-Za-z_][\w.]*): (true|false|null|-?\d+(?:\.\d+)?|"[^"]*")$/.exec(clause))) {
    const [key, value] = [m[1], JSON.parse(m[2]) as unknown];
    return {
      what: `${key} is ${m[2]}`,
      run(ctx) {
        const found = valuesOf(JSON.parse(done(ctx).stdout), key);
        expect(found).not.toHaveLength(0);
        for (const v of found) expect(v).toEqual(value);
      },
    };
  }
  if (PHRASES[clause]) return PHRASES[clause];
  // Anything else is a word the output must contain (`privileged`, `AdmissionReview`).
  return { what: `mentions ${JSON.stringify(clause)}`, run: (ctx) => expect(done(ctx).stdout).toContain(clause) };
}

/** `// value` comments of a JavaScript block: what each `console.log` line prints, as a JS literal. */
function jsExpectations(block: Block): unknown[] {
  return block.body.split('\n').flatMap((line, i) => {
    const m = /^(.*?)\s\/\/\s?(.*)$/.exec(line);
    if (!m || /^\s*$/.test(m[1])) return [];
    if (!m[1].includes('console.log(')) throw new Error(`README.md:${block.line + 1 + i}: a result comment on a line that prints nothing`);
    return [vm.runInNewContext(`(${m[2]})`)];
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Proc {
  child: ChildProcess;
  out: string;
  err: string;
  /** Resolves with bash's exit code when bash exits. */
  exited: Promise<number | null>;
  /** Resolves when bash has exited and its output streams have closed. */
  closed: Promise<void>;
  /** Started with `&`: bash is gone, its job lives on in the process group. */
  background: boolean;
  /** Ctrl-C must end it with exit 0 (Regent's commands; not npm, which reports the signal). */
  cleanExit: boolean;
}

const PRELUDE = `
npx() {
  if [ "$1" = regent ]; then shift; node "$README_REGENT_BIN" "$@"
  else echo "readme.test: only 'npx regent' is provided here" >&2; return 127; fi
}
curl() { command curl --write-out '%{stderr}%{http_code}\\n' "$@"; }
`;

function spawnBash(session: Session, script: string, extraEnv: Record<string, string> = {}): Proc {
  const cwdFile = path.join(session.scratch, 'cwd');
  fs.rmSync(cwdFile, { force: true });
  const child = spawn('bash', ['-c', `${PRELUDE}\n${script}\n__readme_rc=$?\npwd > "$README_CWD_FILE"\nexit $__readme_rc\n`], {
    cwd: session.cwd,
    env: { ...session.env, ...extraEnv, README_REGENT_BIN: path.join(REPO, 'bin', 'regent.js'), README_CWD_FILE: cwdFile },
    detached: true, // its own process group, so that Ctrl-C and cleanup reach every process it starts
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: Proc = {
    child,
    out: '',
    err: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    closed: new Promise((resolve) => child.once('close', () => resolve())),
    background: false,
    cleanExit: false,
  };
  child.stdout!.on('data', (c: Buffer) => (proc.out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (proc.err += c.toString()));
  return proc;
}

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};
const signalGroup = (proc: Proc, signal: NodeJS.Signals): void => {
  try {
    process.kill(-proc.child.pid!, signal);
  } catch {
    // already gone
  }
};

/** Ctrl-C: SIGINT to the foreground job's process group; its exit code (bash passes it on). */
async function stopForeground(proc: Proc, ms = 15_000): Promise<number | null> {
  signalGroup(proc, 'SIGINT');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
  const code = await Promise.race([proc.exited, timer]);
  if (code === 'timeout') {
    signalGroup(proc, 'SIGKILL');
    throw new Error(`did not stop within ${ms} ms of Ctrl-C:\n${proc.out}\n${proc.err}`);
  }
  return code;
}

/** `kill %1`: SIGTERM to a background job's group, then SIGKILL if it lingers. */
async function stopBackground(proc: Proc): Promise<void> {
  signalGroup(proc, 'SIGTERM');
  await waitFor(() => !groupAlive(proc.child.pid!), 15_000).catch(() => signalGroup(proc, 'SIGKILL'));
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** The cluster behind `~/.kube/config`: what the audit example reports (Pod team-a/web, container app). */
const CLUSTER: { resource: string; object: KubeObject }[] = [
  { resource: 'namespaces', object: { metadata: { name: 'opa' } } },
  { resource: 'namespaces', object: { metadata: { name: 'team-a' } } },
  { resource: 'pods', object: { metadata: { name: 'web', namespace: 'team-a', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
];

class Session {
  cwd: string;
  env: NodeJS.ProcessEnv = { ...process.env };
  readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-readme-scratch-'));
  readonly procs: Proc[] = [];
  /** Files the session made unformatted on purpose (regent fmt). */
  planted: string[] = [];
  api?: KubeApiServer;
  port = 0;

  constructor(readonly root: string, readonly temporary: boolean) {
    this.cwd = root;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async open(where: 'temp' | 'repo'): Promise<Session> {
    let root = REPO;
    if (where === 'temp') {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-readme-'));
      for (const p of CHECKOUT_COPIES) fs.cpSync(path.join(REPO, p), path.join(root, p), { recursive: true });
    }
    const s = new Session(root, where === 'temp');
    s.port = await freePort();
    return s;
  }

  /** HOME with a `.kube/config` for the API test server, holding CLUSTER. */
  async cluster(): Promise<void> {
    if (this.api) return;
    this.api = new KubeApiServer({ bookmarkMs: 200 });
    await this.api.start();
    for (const { resource, object } of CLUSTER) this.api.store.create(this.api.store.types.find((t) => t.resource === resource)!, object);
    const home = path.join(this.scratch, 'home');
    fs.mkdirSync(path.join(home, '.kube'), { recursive: true });
    fs.copyFileSync(this.api.writeKubeconfig(this.scratch), path.join(home, '.kube', 'config'));
    this.env.HOME = home;
  }

  async close(): Promise<void> {
    // Foreground jobs first (Ctrl-C, as a user stops them; they must exit cleanly), then
    // background ones, then the cluster.
    const codes: (number | null)[] = [];
    for (const p of this.procs.filter((x) => !x.background && x.child.exitCode === null)) {
      const code = await stopForeground(p);
      if (p.cleanExit) codes.push(code);
    }
    for (const p of this.procs.filter((x) => x.background)) await stopBackground(p);
    await this.api?.stop();
    fs.rmSync(this.scratch, { recursive: true, force: true });
    if (this.temporary) fs.rmSync(this.root, { recursive: true, force: true });
    expect(codes.filter((c) => c !== 0)).toEqual([]);
  }
}

/** The README's text with the documented substitutions (header). */
function substitute(cmd: Command, s: Session): string {
  let text = cmd.text.replace(/\b8181\b/g, String(s.port));
  const add = (flags: string): void => {
    text = /\s&$/.test(text) ? `${text.slice(0, -1).trimEnd()} ${flags} &` : `${text} ${flags}`;
  };
  const compound = programs(cmd.head).length > 1;
  const single = (re: RegExp): boolean => !compound && re.test(cmd.head.trim());
  if (compound && /\bnpx regent (run|sync|audit)\b/.test(cmd.head)) throw new Error(`README.md:${cmd.line}: cannot point a compound command at the test's port`);
  if (single(/^npx regent run\b/) && !/\s(--addr|-a)\b/.test(text)) add(`--addr 127.0.0.1:${s.port}`);
  if (single(/^npx regent sync\b/) && !/\s--opa-url\b/.test(text)) add(`--opa-url http://127.0.0.1:${s.port}/v1`);
  if (single(/^npx regent audit\b/) && !/\s(--server|-s)\b/.test(text)) add(`--server http://127.0.0.1:${s.port}`);
  if (single(/^npm start$/)) add(`-- --addr 127.0.0.1:${s.port}`);
  if (single(/^npx regent test\b/) && /\s--bench\b/.test(text) && !/\s--run\b/.test(text)) add(`--run ${NARROW_TESTS}`);
  if (single(/^npx regent conformance\b/) && !/\s--filter\b/.test(text)) add(`--filter '${NARROW_CONFORMANCE}'`);
  return text;
}

type Lifetime = 'service' | 'sidecar' | 'watch';
/** Commands that do not end by themselves. */
function longRunning(cmd: Command): Lifetime | undefined {
  const head = cmd.head.trim();
  if (/^npx regent run\b/.test(head) || /^npm start\b/.test(head)) return 'service';
  if (/^npx regent sync\b/.test(head)) return 'sidecar';
  if (/\s--watch\b/.test(head)) return 'watch';
  return undefined;
}

async function ready(kind: Lifetime, proc: Proc, s: Session): Promise<void> {
  const logs = (): string => `${kind} output:\n${proc.out}\n${proc.err}`;
  const alive = (): void => {
    if (proc.background ? !groupAlive(proc.child.pid!) : proc.child.exitCode !== null) throw new Error(`exited (${proc.child.exitCode}); ${logs()}`);
  };
  if (kind === 'service') {
    await waitFor(async () => (alive(), (await fetch(`${s.url}/health`).catch(() => undefined)) !== undefined), 30_000, logs);
  } else if (kind === 'sidecar') {
    await waitFor(async () => (alive(), (await fetch(`${s.url}/health`).catch(() => undefined))?.status === 200), 30_000, logs);
  } else {
    await waitFor(() => (alive(), /\d+ passed, \d+ failed/.test(proc.out)), 30_000, logs);
  }
}

/** Runs one command as written (with the substitutions) and checks what its comment states. */
async function runCommand(s: Session, cmd: Command): Promise<void> {
  const checks = parseComment(cmd);
  if (cmd.text.includes('~/.kube/config')) await s.cluster();
  const script = substitute(cmd, s);
  const kind = longRunning(cmd);
  const proc = spawnBash(s, script);
  proc.cleanExit = programs(cmd.head)[0] === 'npx regent';
  const ctx: Ctx = { session: s, cmd };
  const where = `README.md:${cmd.line}: ${cmd.head}`;
  if (/\s&$/.test(script)) {
    proc.background = true;
    s.procs.push(proc);
    await proc.exited;
    if (kind) await ready(kind, proc, s);
    ctx.proc = proc;
  } else if (kind) {
    s.procs.push(proc);
    await ready(kind, proc, s);
    ctx.proc = proc;
  } else {
    const timeout = setTimeout(() => signalGroup(proc, 'SIGKILL'), 60_000);
    await proc.closed;
    clearTimeout(timeout);
    const lines = proc.err.split('\n');
    const isCurl = programs(cmd.head).includes('curl');
    const status = isCurl ? Number(lines.splice(-2, 1)[0]) : undefined; // the last line, before the final newline
    ctx.outcome = { code: proc.child.exitCode, stdout: proc.out, stderr: isCurl ? lines.join('\n') : proc.err, ...(isCurl ? { status } : {}) };
    const cwdFile = path.join(s.scratch, 'cwd');
    if (fs.existsSync(cwdFile)) s.cwd = fs.readFileSync(cwdFile, 'utf8').trim();
  }
  for (const check of checks) {
    try {
      if (check.exit && !ctx.outcome) continue; // a long-running command's exit is checked when it is stopped
      await check.run(ctx);
    } catch (e) {
      const out = ctx.outcome ? `\nstdout:\n${ctx.outcome.stdout}\nstderr:\n${ctx.outcome.stderr}` : '';
      throw new Error(`${where}\n  # ${cmd.comment ?? '(no comment)'}\n  check: ${check.what}\n${(e as Error).message}${out}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The plan: which session each block belongs to, and what a session prepares

interface Plan {
  /** Blocks of one session run in one terminal, in README order. */
  session: string;
  /** The set-up block (its npm commands are handled by SETUP). */
  setup?: true;
  /** Run before the block, in its session (planted files make the comments' claims testable). */
  prepare?: (s: Session, block: Block) => void;
}

const PLAN: Record<string, Plan> = {
  'Set up#1': { session: 'service', setup: true },
  'Set up#2': { session: 'service' },
  'regent run#1': { session: 'run' },
  'regent eval#1': { session: 'demo' },
  'regent test#1': {
    session: 'tests',
    // A todo_ rule, so that "todo_ rules are reported as skipped" has one to report.
    prepare: (s) => fs.writeFileSync(path.join(s.root, 'policies', 'readme_todo_test.rego'), 'package readme_todo\n\ntodo_test_planted_by_the_readme_test if false\n'),
  },
  'regent check#1': { session: 'demo' },
  'regent build#1': { session: 'demo' },
  'regent build#2': { session: 'demo' },
  'regent fmt#1': {
    session: 'fmt',
    // The file the block's first command prints, indented with spaces instead of tabs, so that
    // the block has something to list, diff and rewrite.
    prepare: (s, block) => {
      const file = regentArgs(splitShell(block).commands[0]).at(-1)!;
      const full = path.join(s.root, file);
      const text = fs.readFileSync(full, 'utf8');
      const unformatted = text.replace(/^\t/gm, '    ');
      expect(unformatted).not.toBe(text);
      fs.writeFileSync(full, unformatted);
      s.planted.push(file);
    },
  },
  'regent sync#1': { session: 'cluster' },
  'regent audit#1': { session: 'cluster' },
  'regent conformance#1': { session: 'conformance' },
  'How it is built#1': { session: 'none' },
};

/** The set-up block's commands: `npm start` runs; the others are checked, not run. */
const SETUP: Record<string, { notRun?: string; check?: (s: Session) => void }> = {
  'npm ci': {
    notRun: 'it would reinstall node_modules under the other suites running from this checkout, and needs the registry',
    // Instead: `npm ci --dry-run` on a copy of package.json and package-lock.json, offline with an
    // empty cache. It fails when the two disagree (npm ci's own check) and installs nothing.
    check(s) {
      const dir = path.join(s.scratch, 'npm-ci');
      fs.mkdirSync(dir);
      for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
      const r = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--cache', path.join(dir, 'cache')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 }); // stderr shown when it fails
      expect(r.stdout).toMatch(/added \d+ packages/);
    },
  },
  'npm start': {},
  'npm test': { notRun: 'it is every suite, this one included (minutes on 2 cores; CI runs it)' },
};

/** Inline commands of the prose (`npm run bench`, `docker compose up`): how each is accounted for. */
const INLINE_COMMAND = /^(?:(?:npm|npx|node|docker|kubectl|curl|tar|git|bash|sh|make|yarn|pnpm)(?:\s|$)|\.{1,2}\/|\.[\w-]+\/)/;
const setupParts = (): string[] =>
  splitShell(blocks.find((b) => PLAN[b.key]?.setup)!).commands.flatMap((c) => c.text.split(/\s*&&\s*/));
const INLINE: Record<string, { notRun?: string; ran?: string; check: () => void }> = {
  'npm ci': { notRun: 'a command of the set-up block (checked there)', check: () => expect(setupParts()).toContain('npm ci') },
  'npm test': { notRun: 'a command of the set-up block (checked there)', check: () => expect(setupParts()).toContain('npm test') },
  'npx regent …': {
    ran: 'from a subdirectory of the checkout, with the real npx',
    // "run it as `npx regent …` anywhere in the checkout": the real npx, from a subdirectory,
    // runs this checkout's bin (the blocks use a shell function for it).
    check() {
      const npx = spawnSync('npx', ['--no', '--', 'regent', '--help'], { cwd: path.join(REPO, 'policies'), encoding: 'utf8', timeout: 60_000 });
      const node = spawnSync(process.execPath, [path.join(REPO, 'bin', 'regent.js'), '--help'], { encoding: 'utf8' });
      expect({ status: npx.status, stdout: npx.stdout }).toEqual({ status: 0, stdout: node.stdout });
    },
  },
  'node bin/regent.js …': { ran: 'by every `npx regent` of the blocks', check: () => expect(fs.existsSync(path.join(REPO, 'bin', 'regent.js'))).toBe(true) },
  'npm run build': {
    notRun: 'it rewrites dist/, which the suites running beside this one execute; npm test runs it first',
    check: () => expect(PKG.scripts.build).toMatch(/^tsc -p tsconfig\.build\.json\b/),
  },
  'npm run typecheck': {
    notRun: 'it type-checks the whole project (about a minute on 2 cores); npm test runs it first',
    check: () => expect(PKG.scripts.typecheck).toMatch(/^tsc -p tsconfig\.json --noEmit$/),
  },
  'npx jest test/<folder>': {
    notRun: 'a template (this suite is itself run that way)',
    check() {
      expect(fs.existsSync(path.join(REPO, 'node_modules', '.bin', 'jest'))).toBe(true);
      expect(fs.readdirSync(path.join(REPO, 'test')).filter((d) => fs.statSync(path.join(REPO, 'test', d)).isDirectory()).length).toBeGreaterThan(1);
    },
  },
  'node --experimental-vm-modules': { ran: 'by npm test, whose script passes it', check: () => expect(PKG.scripts.test).toContain('node --experimental-vm-modules') },
  'npm run bench': {
    notRun: 'minutes of load measurement on a shared machine',
    check() {
      expect(PKG.scripts.bench).toBe('npm run build && node dist/bench/index.js');
      expect(fs.existsSync(path.join(REPO, 'bench', 'index.ts'))).toBe(true);
    },
  },
  '.ci/run': {
    notRun: 'it runs npm ci and the whole suite',
    check() {
      const file = path.join(REPO, '.ci', 'run');
      expect(fs.statSync(file).mode & 0o111).not.toBe(0);
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^npm ci\nnpm test$/m);
    },
  },
  'docker compose up': {
    notRun: 'it needs a Docker daemon and a cluster',
    // test/deploy/manifests.test.ts checks its ports, flags and paths against the CLI's parsers.
    check() {
      expect(fs.existsSync(path.join(REPO, 'Dockerfile'))).toBe(true);
      const compose = yaml.load(fs.readFileSync(path.join(REPO, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { build?: string; command: string[]; volumes?: string[] }> };
      const services = Object.values(compose.services);
      expect(services.map((x) => x.command[0]).sort()).toEqual(['run', 'sync']); // the service and the sidecar
      expect(services.every((x) => x.build === '.')).toBe(true);
      expect(services.flatMap((x) => x.volumes ?? []).some((v) => v.startsWith('${KUBECONFIG'))).toBe(true); // against $KUBECONFIG's cluster
    },
  },
  'kubectl apply -k deploy/': {
    notRun: 'it needs a cluster',
    // The kustomization renders (client-side, with kubectl's kustomize when kubectl is on PATH)
    // into what the README lists. test/deploy/manifests.test.ts checks the manifests' contents.
    check() {
      const dir = path.join(REPO, 'deploy');
      const k = yaml.load(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
      let kinds = k.resources.flatMap((r) => (yaml.loadAll(fs.readFileSync(path.join(dir, r), 'utf8')) as { kind: string }[]).map((d) => d.kind));
      const kubectl = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 30_000 });
      if (!kubectl.error) {
        expect({ status: kubectl.status, stderr: kubectl.stderr }).toEqual({ status: 0, stderr: '' });
        kinds = (yaml.loadAll(kubectl.stdout) as { kind: string }[]).map((d) => d.kind);
      }
      for (const kind of ['Deployment', 'Service', 'ClusterRole', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) expect(kinds).toContain(kind);
    },
  },
};

// ---------------------------------------------------------------------------------------------
// The tests

const blocks = readBlocks(README);
const sessions = new Map<string, Session>();
/** The last block of each session: the session closes after it. */
const lastBlock = new Map<string, number>(blocks.filter((b) => PLAN[b.key]).map((b) => [PLAN[b.key].session, b.n]));

type BlockKind = 'setup' | 'shell' | 'js' | 'diagram';
/** How a block runs: by its language (a block without one is a diagram), the set-up block by SETUP. */
function kindOf(block: Block): BlockKind | undefined {
  if (PLAN[block.key]?.setup) return block.lang === 'sh' ? 'setup' : undefined;
  return ({ sh: 'shell', js: 'js', '': 'diagram' } as Record<string, BlockKind>)[block.lang];
}

async function sessionFor(block: Block, plan: Plan): Promise<Session> {
  const fromRoot = kindOf(block) === 'shell' && splitShell(block).directives.some((d) => /^from the repository root:?$/.test(d.trim()));
  let s = sessions.get(plan.session);
  if (!s) {
    s = await Session.open(plan.setup || fromRoot ? 'repo' : 'temp');
    sessions.set(plan.session, s);
  }
  if (fromRoot && s.root !== REPO) throw new Error(`README.md:${block.line}: says "from the repository root" but continues session ${plan.session}`);
  return s;
}

afterAll(async () => {
  for (const s of sessions.values()) await s.close().catch(() => undefined);
});

test('every block of README.md is one the test knows how to run, and every command and comment is understood', () => {
  const unknown = blocks.filter((b) => !PLAN[b.key]).map((b) => `README.md:${b.line}: ${b.key} (\`\`\`${b.lang})`);
  expect(unknown).toEqual([]);
  expect(Object.keys(PLAN).filter((k) => !blocks.some((b) => b.key === k))).toEqual([]); // no stale entries
  for (const b of blocks) {
    const plan = PLAN[b.key];
    const kind = kindOf(b);
    expect(`${b.key}: \`\`\`${b.lang}`).toBe(`${b.key}: \`\`\`${kind ? b.lang : '(a language the test runs)'}`);
    if (kind === 'setup') {
      // "all set-up with two commands": one starts the service, one runs the tests.
      const commands = splitShell(b).commands;
      expect(commands).toHaveLength(2);
      for (const c of commands) for (const part of c.text.split(/\s*&&\s*/)) expect(Object.keys(SETUP)).toContain(part);
      expect(commands[0].text.split(/\s*&&\s*/).at(-1)).toBe('npm start');
      expect(commands[1].text).toBe('npm test');
    }
    if (kind === 'shell') {
      for (const c of splitShell(b).commands) {
        for (const p of programs(c.head)) expect(`README.md:${c.line}: ${p}`).toBe(`README.md:${c.line}: ${KNOWN_PROGRAMS.has(p) ? p : '(a program the test knows)'}`);
        parseComment(c); // throws on a result it cannot read
      }
    }
    if (kind === 'js') jsExpectations(b);
  }
});

test('every inline command of the prose is run or checked', () => {
  const prose = README.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  const spans = new Set([...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).filter((s) => INLINE_COMMAND.test(s)));
  expect([...spans].filter((s) => !INLINE[s])).toEqual([]);
  expect(Object.keys(INLINE).filter((s) => !spans.has(s))).toEqual([]);
});

for (const [command, entry] of Object.entries(INLINE)) {
  test(`inline \`${command}\`: ${entry.notRun ? `checked, not run: ${entry.notRun}` : `run ${entry.ran}`}`, () => entry.check(), 60_000);
}

for (const block of blocks) {
  const plan = PLAN[block.key];
  const kind = kindOf(block);
  if (!plan || !kind) continue; // reported by the first test
  test(`block ${block.n}: ${block.key} (README.md:${block.line}, ${kind}${kind === 'diagram' ? '' : `, session ${plan.session}`})`, async () => {
    if (kind === 'diagram') {
      // Not commands: every repository path it names exists.
      const paths = [...block.body.matchAll(/\b(?:server|sync|bench|test|policies|deploy)\/[\w./-]*\w/g)].map((m) => m[0]);
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((p) => !fs.existsSync(path.join(REPO, p)))).toEqual([]);
      return;
    }
    const s = await sessionFor(block, plan);
    let failed = true;
    try {
      plan.prepare?.(s, block);
      if (kind === 'js') {
        // `node script.js` in the directory the build block left, as plain CommonJS.
        for (let dir = s.cwd; dir !== path.dirname(dir); dir = path.dirname(dir)) expect(fs.existsSync(path.join(dir, 'package.json'))).toBe(false);
        fs.writeFileSync(path.join(s.cwd, 'script.js'), `${block.body}\n`);
        const proc = spawnBash(s, 'node script.js', { NODE_PATH: path.join(REPO, 'node_modules') });
        await proc.closed;
        expect({ code: proc.child.exitCode, stderr: proc.err }).toEqual({ code: 0, stderr: '' });
        expect(proc.out).toBe(jsExpectations(block).map((v) => `${util.inspect(v)}\n`).join(''));
      } else if (kind === 'setup') {
        for (const cmd of splitShell(block).commands) {
          for (const part of cmd.text.split(/\s*&&\s*/)) {
            const setup = SETUP[part];
            setup.check?.(s);
            if (!setup.notRun) await runCommand(s, { text: part, head: part, line: cmd.line });
          }
          for (const check of parseComment(cmd).filter((c) => !c.exit)) await check.run({ session: s, cmd });
        }
      } else {
        for (const cmd of splitShell(block).commands) await runCommand(s, cmd);
      }
      failed = false;
    } finally {
      if (lastBlock.get(plan.session) === block.n) {
        sessions.delete(plan.session);
        // A failed block's processes are stopped all the same; its own error is the one to see.
        await (failed ? s.close().catch(() => undefined) : s.close());
      }
    }
  }, 90_000);
}

// `regent run [paths…] [--addr :8181] [--engine wasm|interp]` — the policy service (like
// `opa run --server`): loads .rego and data files, compiles them, serves OPA's REST API.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as http from 'node:http';
import * as https from 'node:https';
import chokidar from 'chokidar';
import { Command, Option } from 'commander';
import type { EngineName } from '../engine/query';
import { PolicyEngine } from '../engine/engine';
import { createApp, type PluginStatuses } from '../http/app';
import { trackConnections } from '../http/shutdown';
import { watchPaths } from './watch';
import { fromJS, ObjectValue } from '../value/value';
import { loadPaths } from './load-paths';
import { engineOption, parseDurationMs } from './options';
import { errorEntries, errorsText } from './errors';

interface RunFlags {
  addr: string;
  engine: EngineName;
  maxRequestBytes: string;
  allowHttpSend?: boolean;
  admissionPackage: string;
  admissionFailOpen?: boolean;
  authentication: 'off' | 'token';
  authorization: 'off' | 'basic';
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  decisionLog?: string;
  decisionLogMask?: string[];
  watch?: boolean;
  /** Milliseconds (parsed); 0: no limit. */
  evalTimeLimit?: number;
  requireSync?: boolean;
  /** Milliseconds (parsed). */
  shutdownGracePeriod?: number;
  evalWorkers?: string;
  evalMemoryLimit?: string;
}

/** Kubernetes gives an admission webhook 10 s by default; an evaluation should be long over by then. */
const DEFAULT_TIME_LIMIT_MS = 5000;

/** OPA's default `--shutdown-grace-period`. */
const DEFAULT_GRACE_MS = 10_000;

/** A duration (`500ms`, `2s`), or a bare number of seconds as OPA's flag takes it. */
function parseGracePeriod(text: string): number {
  return /^\d+$/.test(text.trim()) ? Number(text) * 1000 : parseDurationMs(text);
}

/** Evaluation threads: one per core, and at least two, so one long evaluation never leaves
 *  decisions waiting. */
const DEFAULT_WORKERS = String(Math.max(2, os.availableParallelism()));

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid ${flag} ${text}: expected a positive integer`);
  return n;
}

/** `:8181`, `localhost:8181`, `0.0.0.0:80` → host and port. */
export function parseAddr(addr: string): { host?: string; port: number } {
  const i = addr.lastIndexOf(':');
  const host = i > 0 ? addr.slice(0, i) : undefined;
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --addr ${addr}: expected [host]:port`);
  return { host, port };
}

export async function startServer(paths: string[], flags: RunFlags): Promise<http.Server | https.Server> {
  const { modules, data } = loadPaths(paths);
  const limit = flags.evalTimeLimit ?? DEFAULT_TIME_LIMIT_MS;
  const engine = new PolicyEngine(
    flags.engine,
    { allowHttpSend: flags.allowHttpSend ?? false, timeLimitMs: limit > 0 ? limit : undefined },
    {
      workers: positiveInt(flags.evalWorkers ?? DEFAULT_WORKERS, '--eval-workers'),
      memoryLimitMb: positiveInt(flags.evalMemoryLimit ?? '1024', '--eval-memory-limit'),
      log: (l) => process.stderr.write(l + '\n') },
  );
  await engine.load(modules.map((m) => ({ id: m.file, text: m.text })), fromJS(data) as ObjectValue);
  const plugins: PluginStatuses = new Map();
  const app = createApp(engine, {
    plugins,
    maxRequestBytes: Number(flags.maxRequestBytes),
    admission: { package: flags.admissionPackage.replace(/^data\./, '').split('.'), failOpen: flags.admissionFailOpen ?? false },
    auth: { authentication: flags.authentication, authorization: flags.authorization },
    decisionLog: flags.decisionLog ? { sink: flags.decisionLog, mask: flags.decisionLogMask } : undefined,
    requireSync: flags.requireSync,
  });
  const { host, port } = parseAddr(flags.addr);
  const server = flags.tlsCertFile || flags.tlsPrivateKeyFile ? tlsServer(app, flags) : http.createServer(app);
  server.on('close', () => void engine.close());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  if (flags.watch) {
    const watcher = await watchPaths(paths, engine, plugins, (line) => process.stderr.write(line + '\n'));
    server.on('close', () => void watcher.close());
  }
  return server;
}

/**
 * HTTPS with the given certificate and key, reloaded when either file changes (admission
 * webhooks require TLS, and certificates are rotated under a running server).
 */
function tlsServer(app: http.RequestListener, flags: RunFlags): https.Server {
  if (!flags.tlsCertFile || !flags.tlsPrivateKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file go together');
  const files = { cert: flags.tlsCertFile, key: flags.tlsPrivateKeyFile };
  const read = () => ({ cert: fs.readFileSync(files.cert), key: fs.readFileSync(files.key) });
  const server = https.createServer(read(), app);
  const watcher = chokidar.watch([files.cert, files.key], { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 100 } });
  watcher.on('change', () => {
    try {
      server.setSecureContext(read());
      process.stderr.write('regent: reloaded TLS certificate\n');
    } catch (e) {
      process.stderr.write(`regent: keeping the previous TLS certificate: ${(e as Error).message}\n`);
    }
  });
  server.on('close', () => void watcher.close());
  return server;
}

export function runCommand(): Command {
  return new Command('run')
    .description('serve OPA\'s REST API over the policies and data in the given paths')
    .argument('[paths...]', '.rego and data files or directories', [] as string[])
    .option('-a, --addr <addr>', 'listen address', ':8181')
    .option('--max-request-bytes <n>', 'largest request body accepted', String(8 * 1024 * 1024))
    .addOption(engineOption())
    .addOption(new Option('--authentication <mode>', 'token: the Bearer token is the identity').choices(['off', 'token']).default('off'))
    .addOption(new Option('--authorization <mode>', 'basic: data.system.authz.allow decides every request').choices(['off', 'basic']).default('off'))
    .option('--decision-log <sink>', 'log every decision as a JSON line: console or file:PATH')
    .option('--decision-log-mask <path>', 'input path to drop from decision logs (repeatable), e.g. /request/object/data', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--tls-cert-file <file>', 'serve HTTPS with this certificate (PEM); reloaded when it changes')
    .option('--tls-private-key-file <file>', 'the certificate\'s private key (PEM)')
    .option('--admission-package <pkg>', 'package with deny/warn/patch/audit_annotations for /v1/admit (patch for /v1/mutate)', 'kubernetes.admission')
    .option('--admission-fail-open', 'admit requests whose evaluation fails (default: deny them)')
    .option('--eval-time-limit <duration>', 'stop an evaluation that runs longer (eval_cancel_error); 0: no limit', parseDurationMs, DEFAULT_TIME_LIMIT_MS)
    .option('-w, --watch', 'reload the policy and data files when they change (a bad change keeps the old ones serving)')
    .option('--require-sync', '/health answers 500 until `regent sync` has completed a full sync (use with the sidecar)')
    .option('--eval-workers <n>', 'threads that evaluate policies (the HTTP thread never does)', DEFAULT_WORKERS)
    .option('--eval-memory-limit <MiB>', 'memory of each evaluation thread; an evaluation needing more fails', '1024')
    .option('--shutdown-grace-period <duration>', 'on SIGTERM/SIGINT, how long requests in flight may take before their connections are closed (a bare number is seconds, as OPA)', parseGracePeriod, DEFAULT_GRACE_MS)
    .option('--allow-http-send', 'let policies call http.send (off: it fails as if the host were unreachable)')
    .action(async (paths: string[], flags: RunFlags) => {
      try {
        const server = await startServer(paths, flags);
        const a = server.address();
        const where = typeof a === 'object' && a ? `${a.address}:${a.port}` : String(a);
        process.stderr.write(`regent: serving ${paths.join(', ') || '(no files)'} on ${where} (engine ${flags.engine})\n`);
        const shutdown = trackConnections(server);
        const stop = (): void => {
          const grace = flags.shutdownGracePeriod ?? DEFAULT_GRACE_MS;
          process.stderr.write(`regent: shutting down (grace period ${grace} ms)\n`);
          void shutdown(grace).then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (e) {
        process.stderr.write(errorsText(errorEntries(e)));
        process.exitCode = 1;
      }
    });
}

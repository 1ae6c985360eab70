// `regent run --watch`: reloads the policy and data files when they change. A reload compiles
// the whole file set first and swaps it in atomically; a set that does not load leaves the old
// one serving, is logged, and shows as an ERROR plugin on `GET /health?plugins`.
import chokidar, { type FSWatcher } from 'chokidar';
import type { PolicyEngine } from '../engine/engine';
import type { PluginStatuses } from '../http/app';
import { fromJS, type ObjectValue } from '../value/value';
import { errorEntries, errorsText } from './errors';
import { loadPaths } from './load-paths';

const WATCHED = /\.(rego|json|ya?ml)$/;

/** Starts watching; resolves once the initial scan is done (changes after that are seen). */
export async function watchPaths(paths: string[], engine: PolicyEngine, plugins: PluginStatuses, log: (line: string) => void): Promise<FSWatcher> {
  plugins.set('watch', { state: 'OK' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const reload = async (): Promise<void> => {
    try {
      const { modules, data } = loadPaths(paths);
      await engine.load(
        modules.map((m) => ({ id: m.file, text: m.text })),
        fromJS(data) as ObjectValue,
      );
      plugins.set('watch', { state: 'OK' });
      log(`regent: reloaded ${modules.length} module(s) from ${paths.join(', ')}`);
    } catch (e) {
      const text = errorsText(errorEntries(e)).trim();
      plugins.set('watch', { state: 'ERROR', message: text });
      log(`regent: keeping the previous policies; the changed files do not load:\n${text}`);
    }
  };
  const watcher = chokidar.watch(paths, {
    ignoreInitial: true,
    // Editors write in several steps; wait for the file to settle.
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 },
  });
  watcher.on('all', (_event, file) => {
    if (!WATCHED.test(file)) return;
    // A save often touches several files at once: one reload after the burst.
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(reload);
    }, 50);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return watcher;
}

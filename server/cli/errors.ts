// Turning whatever a command caught into OPA-style error entries, and printing them.
import type { Location } from '../rego/ast';
import { RegoError, RegoErrors } from '../rego/errors';
import { LoadError } from './load-paths';

export interface ErrorEntry {
  /** Absent for file-loading problems, which are not Rego errors. */
  code?: string;
  message: string;
  location?: Location;
}

export function errorEntries(e: unknown): ErrorEntry[] {
  const rego = e instanceof RegoErrors ? e.errors : e instanceof RegoError ? [e] : undefined;
  if (rego !== undefined) {
    return rego.map((r) => (r.location ? { code: r.code, message: r.message, location: r.location } : { code: r.code, message: r.message }));
  }
  if (e instanceof LoadError) return [{ message: e.message }];
  // Anything else is a bug in Regent; still report it in the same shape instead of a stack dump.
  return [{ code: 'internal_error', message: e instanceof Error ? e.message : String(e) }];
}

/** `{"errors":[{"code":…,"message":…,"location":{"file":…,"row":…,"col":…}}]}` */
export function errorsJSON(entries: ErrorEntry[]): string {
  return JSON.stringify({ errors: entries }, null, 2) + '\n';
}

/** One `file:row:col: code: message` line per error. */
export function errorsText(entries: ErrorEntry[]): string {
  return entries.map(errorLine).join('\n') + '\n';
}

function errorLine(e: ErrorEntry): string {
  const where = e.location ? `${e.location.file}:${e.location.row}:${e.location.col}: ` : '';
  const code = e.code ? `${e.code}: ` : '';
  return `${where}${code}${e.message}`;
}

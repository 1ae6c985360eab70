// `regent audit`: asks a running service (GET /v1/audit) which replicated objects its admission
// policy would reject now, and prints them as a table (or the JSON report).
import { Command, Option } from 'commander';
import type { AuditReport } from '../http/audit';

interface AuditFlags {
  server: string;
  namespace?: string;
  kind?: string;
  path: string;
  format: 'pretty' | 'json';
  failOnViolations?: boolean;
  token?: string;
}

export function formatReport(report: AuditReport): string {
  const lines = report.violations.flatMap((v) => {
    const where = `${v.kind || v.resource} ${v.namespace ? `${v.namespace}/` : ''}${v.name}`;
    return v.error ? [`${where}: evaluation failed: ${v.error}`] : v.messages.map((m) => `${where}: ${m}`);
  });
  const objects = report.violations.length;
  lines.push(`${report.checked} objects checked, ${objects} ${objects === 1 ? 'violates' : 'violate'} the policy`);
  return lines.join('\n') + '\n';
}

export function auditCommand(): Command {
  return new Command('audit')
    .description('list the replicated objects the admission policy would reject now (GET /v1/audit)')
    .option('-s, --server <url>', 'the service', 'http://localhost:8181')
    .option('--namespace <ns>', 'only objects of this namespace')
    .option('--kind <kind>', 'only objects of this kind (Pod, Deployment, …)')
    .option('--path <path>', 'where replicated objects are in data (the sidecar\'s --replicate-path)', 'kubernetes')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--token <token>', 'Bearer token, for a service run with --authentication token')
    .option('--fail-on-violations', 'exit with 2 when any object violates the policy')
    .action(async (flags: AuditFlags) => {
      const q = new URLSearchParams({ path: flags.path });
      if (flags.namespace) q.set('namespace', flags.namespace);
      if (flags.kind) q.set('kind', flags.kind);
      const url = `${flags.server.replace(/\/+$/, '')}/v1/audit?${q}`;
      let res: globalThis.Response;
      try {
        res = await fetch(url, { headers: flags.token ? { authorization: `Bearer ${flags.token}` } : {} });
      } catch (e) {
        process.stderr.write(`regent audit: cannot reach ${flags.server}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}\n`);
        process.exit(1);
      }
      const body = (await res.json()) as { result?: AuditReport; message?: string };
      if (!res.ok || !body.result) {
        process.stderr.write(`regent audit: ${res.status} ${body.message ?? 'no report'}\n`);
        process.exit(1);
      }
      process.stdout.write(flags.format === 'json' ? JSON.stringify(body.result, null, 2) + '\n' : formatReport(body.result));
      if (flags.failOnViolations && body.result.violations.length > 0) process.exitCode = 2;
    });
}

#!/usr/bin/env node
'use strict';
// The `regent` command: a shim over the compiled CLI in dist/ (built by `npm run build`, which
// `npm ci` runs through the `prepare` script).
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'server', 'cli', 'main.js');
let cli;
try {
  cli = require(entry);
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).startsWith(`Cannot find module '${entry}'`)) {
    process.stderr.write('regent: the CLI is not built; run `npm run build` first\n');
    process.exit(1);
  }
  throw e;
}
cli.main(process.argv).catch((e) => {
  process.stderr.write(`regent: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 1;
});

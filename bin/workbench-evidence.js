#!/usr/bin/env node
// @ts-check
// Pushes one evidence file from a pipeline to the workbench (POST /api/v1/systems/:id/evidence) and checks the
// receipt against the file as hashed here. Plain Node 20: only node: builtins and the global fetch, FormData, Blob.
'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

/** Exit codes (documented in docs/pipelines.md). */
const EXIT = { ok: 0, usage: 2, receiptMismatch: 3, refused: 4, unavailable: 5 };

const HELP = `Usage: workbench-evidence push [options] <file>

Uploads <file> as evidence of an AI system, hashing it first and checking the
server's receipt (sha256 and size) against it. Prints a one-line receipt.

Required:
  --url URL                 the workbench, e.g. https://workbench.example.com
                            (or WORKBENCH_URL)
  --system ID               the AI system's id
  --control CODE            a control the evidence supports (repeatable), e.g. AIG-EVL-03
  --kind KIND               evidence kind, e.g. evaluation, test_report, model_card

Options:
  --token-env NAME          environment variable holding the API token
                            (default WORKBENCH_TOKEN); the token is never printed
  --title TEXT              default: the file name
  --requirement REF         a requirement it supports, framework:ref (repeatable)
  --collected-at ISO        when the evidence was produced (default: the file's
                            modification time)
  --valid-until ISO         when it stops being valid
  --model-version TEXT      the model version it was produced against
  --supersedes ID           earlier evidence this replaces
  --idempotency-key KEY     the same key and file return the first receipt
                            (a retried job stores nothing twice); 1-200 characters
  --source TEXT             provenance: producing system (default from CI: github-actions, gitlab-ci)
  --pipeline TEXT           provenance: pipeline or workflow (default from CI)
  --run-url URL             provenance: the run's URL (default from CI)
  --commit SHA              provenance: the commit (default from CI)
  --dataset-version TEXT    provenance: dataset version
  --media-type TYPE         the file's media type (default from its extension)
  --timeout SECONDS         give up after this long (default 120)
  --allow-http              allow plain http to a host other than localhost
  -h, --help                this text

Provenance defaults come from GITHUB_* (GitHub Actions) or CI_* (GitLab CI) variables.
Exit codes: 0 stored or replayed, 2 usage, 3 receipt does not match the file,
4 refused by the server (4xx), 5 server error (5xx) or network failure.`;

const MEDIA_TYPES = {
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.md': 'text/plain',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.zip': 'application/zip',
};

class CliError extends Error {
  /** @param {string} message @param {number} code */
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** @param {string} message */
const usage = (message) => new CliError(`${message} (see --help)`, EXIT.usage);

/**
 * Provenance the CI run describes about itself: GitHub Actions' GITHUB_* or GitLab's CI_* variables.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, string>}
 */
function ciProvenance(env) {
  if (env.GITHUB_ACTIONS === 'true' || env.GITHUB_RUN_ID) {
    const server = env.GITHUB_SERVER_URL || 'https://github.com';
    return compact({
      source: 'github-actions',
      pipeline: env.GITHUB_REPOSITORY && env.GITHUB_WORKFLOW ? `${env.GITHUB_REPOSITORY}/${env.GITHUB_WORKFLOW}` : '',
      runUrl:
        env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
          ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
          : '',
      commitSha: env.GITHUB_SHA || '',
    });
  }
  if (env.GITLAB_CI === 'true' || env.CI_PIPELINE_URL || env.CI_COMMIT_SHA) {
    return compact({
      source: env.GITLAB_CI === 'true' ? 'gitlab-ci' : 'ci',
      pipeline: env.CI_PROJECT_PATH && env.CI_JOB_NAME ? `${env.CI_PROJECT_PATH}/${env.CI_JOB_NAME}` : '',
      runUrl: env.CI_JOB_URL || env.CI_PIPELINE_URL || '',
      commitSha: env.CI_COMMIT_SHA || '',
    });
  }
  return {};
}

/** @param {Record<string, string | undefined>} fields @returns {Record<string, string>} */
function compact(fields) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [key, value] of Object.entries(fields)) if (value) out[key] = value;
  return out;
}

/** @param {string[]} argv */
function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      'token-env': { type: 'string' },
      system: { type: 'string' },
      control: { type: 'string', multiple: true },
      requirement: { type: 'string', multiple: true },
      kind: { type: 'string' },
      title: { type: 'string' },
      'collected-at': { type: 'string' },
      'valid-until': { type: 'string' },
      'model-version': { type: 'string' },
      supersedes: { type: 'string' },
      'idempotency-key': { type: 'string' },
      source: { type: 'string' },
      pipeline: { type: 'string' },
      'run-url': { type: 'string' },
      commit: { type: 'string' },
      'dataset-version': { type: 'string' },
      'media-type': { type: 'string' },
      timeout: { type: 'string' },
      'allow-http': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { values, positionals };
}

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string>} the one-line receipt
 */
async function run(argv, env) {
  // Refused before parsing, whatever else is wrong: a token on the command line ends up in process lists and CI logs,
  // and parsing would refuse a token that begins with "-" as an ambiguous argument instead.
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (options.some((arg) => arg === '--token' || arg.startsWith('--token=')))
    throw usage(
      'Do not put the token on the command line (process lists and CI logs show it): put it in an environment variable and name that with --token-env',
    );
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw usage(/** @type {Error} */ (error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return HELP;
  const [command, file, ...extra] = positionals;
  if (command !== 'push') throw usage(`Unknown command "${command}": the only one is push`);
  if (!file) throw usage('Name the evidence file to push');
  if (extra.length) throw usage(`Push one file at a time (also given: ${extra.join(' ')})`);

  const base = values.url || env.WORKBENCH_URL;
  if (!base) throw usage('--url (or WORKBENCH_URL) is required');
  let url;
  try {
    url = new URL(base);
  } catch {
    throw usage(`--url is not a URL: ${base}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usage('--url must be http(s)');
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback && !values['allow-http'])
    throw usage('--url is plain http: the token would cross the network readable; use https (or --allow-http)');
  if (!values.system) throw usage('--system is required');
  if (!values.control?.length) throw usage('--control is required (repeat it for several controls)');
  if (!values.kind) throw usage('--kind is required');
  const tokenEnv = values['token-env'] || 'WORKBENCH_TOKEN';
  const token = env[tokenEnv];
  if (!token) throw usage(`The environment variable ${tokenEnv} holding the API token is not set`);
  const timeoutSeconds = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw usage('--timeout must be a positive number');

  let content;
  let modifiedMs;
  try {
    content = fs.readFileSync(file);
    modifiedMs = fs.statSync(file).mtimeMs;
  } catch (error) {
    throw usage(`Cannot read ${file}: ${/** @type {Error} */ (error).message}`);
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const name = path.basename(file);
  const mediaType =
    values['media-type'] ||
    MEDIA_TYPES[/** @type {keyof typeof MEDIA_TYPES} */ (path.extname(name).toLowerCase())] ||
    'application/octet-stream';

  const provenance = {
    ...ciProvenance(env),
    ...compact({
      source: values.source,
      pipeline: values.pipeline,
      runUrl: values['run-url'],
      commitSha: values.commit,
      modelVersion: values['model-version'],
      datasetVersion: values['dataset-version'],
    }),
  };
  const form = new FormData();
  for (const code of values.control) form.append('controlCodes[]', code);
  for (const ref of values.requirement ?? []) form.append('requirementRefs[]', ref);
  form.append('kind', values.kind);
  form.append('title', values.title || name);
  // When the evidence was produced: the file's modification time unless told, so a retried push of the same file
  // sends the same fields (and with the same Idempotency-Key is a replay, not a conflict).
  form.append('collectedAt', values['collected-at'] || new Date(Math.min(modifiedMs, Date.now())).toISOString());
  if (values['valid-until']) form.append('validUntil', values['valid-until']);
  if (values['model-version']) form.append('modelVersion', values['model-version']);
  if (values.supersedes) form.append('supersedesId', values.supersedes);
  if (Object.keys(provenance).length) form.append('provenance', JSON.stringify(provenance));
  form.append('file', new Blob([content], { type: mediaType }), name);

  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (values['idempotency-key']) headers['Idempotency-Key'] = values['idempotency-key'];
  const endpoint = new URL(`api/v1/systems/${encodeURIComponent(values.system)}/evidence`, withSlash(url));
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: form,
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
  } catch (error) {
    const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error).cause;
    const reason = cause?.code || cause?.message || /** @type {Error} */ (error).message;
    throw new CliError(`Could not reach ${url.origin}: ${reason}; nothing is known to be stored`, EXIT.unavailable);
  }
  const text = await response.text();
  /** @type {any} */
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) {
    const what = body && typeof body.message === 'string' ? body.message : text.slice(0, 300) || response.statusText;
    const code = body && typeof body.code === 'string' ? ` ${body.code}` : '';
    throw new CliError(
      `Refused (HTTP ${response.status}${code}): ${what}`,
      response.status >= 500 ? EXIT.unavailable : EXIT.refused,
    );
  }
  if (!body || typeof body.id !== 'string')
    throw new CliError(`The server answered HTTP ${response.status} without a receipt`, EXIT.receiptMismatch);
  return checkReceipt(body, { sha256, sizeBytes: content.length, name });
}

/**
 * The receipt must name the bytes hashed here: the server's sha256 and size against the local ones.
 * @param {any} receipt
 * @param {{ sha256: string, sizeBytes: number, name: string }} local
 */
function checkReceipt(receipt, local) {
  if (receipt.sha256 !== local.sha256 || receipt.sizeBytes !== local.sizeBytes)
    throw new CliError(
      `Receipt mismatch for ${local.name}: hashed here sha256 ${local.sha256} (${local.sizeBytes} bytes), ` +
        `the server stored sha256 ${receipt.sha256} (${receipt.sizeBytes} bytes) as evidence ${receipt.id}`,
      EXIT.receiptMismatch,
    );
  const changes = receipt.coverageChanges?.requirements ?? [];
  const coverage = changes.length
    ? `coverage: ${changes
        .slice(0, 5)
        .map((/** @type {any} */ c) => `${c.requirement} ${c.before}->${c.after}`)
        .join(', ')}${changes.length > 5 ? ` and ${changes.length - 5} more` : ''}`
    : 'coverage: no change';
  return [
    receipt.replayed ? 'replayed' : 'stored',
    `evidence ${receipt.id}`,
    `sha256 ${receipt.sha256}`,
    `${receipt.sizeBytes} bytes`,
    `controls ${(receipt.controlCodes ?? []).join(',')}`,
    `review ${receipt.reviewStatus}`,
    coverage,
  ].join(' | ');
}

/** @param {URL} url */
function withSlash(url) {
  const copy = new URL(url.href);
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}

module.exports = { run, checkReceipt, ciProvenance, EXIT };

if (require.main === module) {
  run(process.argv.slice(2), process.env).then(
    (line) => {
      process.stdout.write(`${line}\n`);
    },
    (error) => {
      const known = error instanceof CliError;
      process.stderr.write(`workbench-evidence: ${known ? error.message : String(error)}\n`);
      process.exitCode = known ? error.code : 1;
    },
  );
}

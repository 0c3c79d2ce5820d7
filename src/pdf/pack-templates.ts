import Handlebars from 'handlebars';
import { dateFormat } from '../common/date-format';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The policy every pack document declares in a meta tag; the layout is refused at load without it. */
export const PACK_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** A template file that cannot be used; the message names the file, the line when known, and the problem. */
export class PackTemplateError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? ` line ${line}` : ''}: ${problem}`);
  }
}

/**
 * The compiled templates of a printed document (an evidence pack, an incident report): one call renders it whole.
 * Both kinds share the load-time checks and helpers of this file.
 */
export interface PackTemplates {
  render(view: unknown): string;
  /** The files that were loaded, relative to the working directory (for logs and errors). */
  readonly files: string[];
}

export function defaultPackTemplateDir(): string {
  return path.join(process.cwd(), 'templates', 'evidence-pack');
}

// Packs print instants in UTC ("2026-11-24 14:05 UTC"): a document handed to an auditor reads the same wherever it
// is opened. The formatting itself is the product's one date format, shared with the web pages.
const PACK_DATES = dateFormat('UTC');
export const formatDateTime = PACK_DATES.datetime;
export const formatDate = PACK_DATES.date;

const HELPERS = {
  datetime: formatDateTime,
  date: formatDate,
  percent: formatPercent,
  barWidth,
  statusClass,
  statusLabel,
  join,
  bytes: formatBytes,
} as const;

// strict: a misspelt field in a {{mustache}} throws instead of printing nothing, so a template that drifts from
// PackModel fails in the unit tests rather than in an auditor's hands. Optional fields are read with {{#if}}, which
// strict mode leaves lenient. knownHelpersOnly: a template calling a helper we did not register fails at load.
const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries([...Object.keys(HELPERS), 'inlineStyles'].map((name) => [name, true])),
  preventIndent: true,
};

// Our templates make no request of any kind: pack.css is inlined and nothing is fetched. These are refused in the
// literal HTML of a template (comments are not checked), so a careless edit fails at load, not in a rendered pack.
const FORBIDDEN_HTML: Array<[RegExp, string]> = [
  [
    /<\s*(script|link|iframe|frame|img|image|object|embed|base|svg|video|audio|source|track|form|input|portal)\b/i,
    'an element that can load or run something',
  ],
  [
    /\b(src|srcset|xlink:href|action|formaction|poster|background|data|ping)\s*=/i,
    'an attribute that can point at a URL',
  ],
  // In-document links only (the contents page): href="#fragment", the fragment written in the template itself.
  [/\bhref\s*=(?!"#[A-Za-z0-9_-]*("|$))/i, 'an attribute that can point at a URL (only href="#fragment" is allowed)'],
  [/http-equiv\s*=\s*["']?refresh/i, 'a meta refresh'],
  [/url\s*\(|@import/i, 'a CSS reference to a URL'],
];

// Checked outside comments, except "</" which ends the <style> element wherever it is.
const FORBIDDEN_CSS: Array<[RegExp, string]> = [
  [/url\s*\(/i, 'the pack makes no request: use system fonts and no images'],
  [/@import/i, 'the pack makes no request'],
  [/expression\s*\(/i, 'no script in styles'],
];

/**
 * Loads pack.hbs, pack.css and partials/*.hbs from `dir`, checks them and compiles them once. Throws a
 * PackTemplateError naming the file for a missing file, a syntax error, an unknown helper or partial, a triple-stash
 * ({{{ }}} or {{& }}: user text only ever goes through escaping {{ }}), or anything that could make a request.
 * Other printed documents (the incident report) name their own layout and stylesheet and get the same checks.
 */
export function loadPackTemplates(
  dir: string = defaultPackTemplateDir(),
  names: { layout: string; css: string } = { layout: 'pack.hbs', css: 'pack.css' },
): PackTemplates {
  const instance = Handlebars.create();
  const display = (file: string) => path.relative(process.cwd(), file) || file;
  const layoutFile = path.join(dir, names.layout);
  const cssFile = path.join(dir, names.css);
  const partialDir = path.join(dir, 'partials');

  const css = checkCss(readTemplateFile(cssFile, display), display(cssFile));
  // The one unescaped output of the pack: our own stylesheet, checked above.
  const inlineStyles = new instance.SafeString(css);
  instance.registerHelper('inlineStyles', () => inlineStyles);
  for (const [name, helper] of Object.entries(HELPERS))
    instance.registerHelper(name, helper as Handlebars.HelperDelegate);

  if (!fs.existsSync(partialDir)) throw new PackTemplateError(display(partialDir), 'the partials folder is missing');
  const partialFiles = fs
    .readdirSync(partialDir)
    .filter((name) => name.endsWith('.hbs'))
    .sort()
    .map((name) => path.join(partialDir, name));
  const partialNames = new Set(partialFiles.map((file) => path.basename(file, '.hbs')));

  for (const file of partialFiles) {
    const name = path.basename(file, '.hbs');
    instance.registerPartial(
      name,
      compileTemplate(instance, readTemplateFile(file, display), display(file), partialNames),
    );
  }
  const layoutSource = readTemplateFile(layoutFile, display);
  const cspMeta = `<meta http-equiv="Content-Security-Policy" content="${PACK_CONTENT_SECURITY_POLICY}">`;
  if (!layoutSource.includes(cspMeta)) {
    throw new PackTemplateError(display(layoutFile), `the layout must declare ${cspMeta} in its <head>`);
  }
  const layout = compileTemplate(instance, layoutSource, display(layoutFile), partialNames);
  const files = [layoutFile, cssFile, ...partialFiles].map(display);

  return {
    files,
    render(view: unknown): string {
      try {
        return layout(view);
      } catch (error) {
        throw new Error(`evidence-pack template ${display(dir)} failed: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

function readTemplateFile(file: string, display: (file: string) => string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new PackTemplateError(
      display(file),
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

function compileTemplate(
  instance: typeof Handlebars,
  source: string,
  file: string,
  partials: Set<string>,
): HandlebarsTemplateDelegate {
  let ast: hbs.AST.Program;
  try {
    ast = instance.parse(source);
  } catch (error) {
    throw new PackTemplateError(file, firstAndLastLine((error as Error).message));
  }
  new TemplateChecker(file, partials).accept(ast);
  // The two steps Handlebars.compile() runs lazily on first use, run here, once, from our own file, so every compile
  // error surfaces at load and the first pack costs no more than the next. Options as compile() completes them.
  const options: CompileOptions = { data: true, ...COMPILE_OPTIONS };
  const compilers = instance as unknown as HandlebarsCompilers;
  let spec: TemplateSpecification;
  try {
    const environment = new compilers.Compiler().compile(ast, options);
    spec = new compilers.JavaScriptCompiler().compile(environment, options, undefined, true);
  } catch (error) {
    throw new PackTemplateError(file, firstAndLastLine((error as Error).message));
  }
  return instance.template(spec);
}

/** Handlebars' compiler classes (documented in its compiler API, left out of its typings). */
interface HandlebarsCompilers {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: CompileOptions): unknown };
  JavaScriptCompiler: new () => {
    compile(environment: unknown, options: CompileOptions, context: undefined, asObject: true): TemplateSpecification;
  };
}

/** Walks a parsed template and refuses what pack templates must not contain. */
class TemplateChecker extends Handlebars.Visitor {
  constructor(
    private readonly file: string,
    private readonly partials: Set<string>,
  ) {
    super();
  }

  override MustacheStatement(mustache: hbs.AST.MustacheStatement): void {
    if (!mustache.escaped) {
      throw new PackTemplateError(
        this.file,
        'unescaped output ({{{ }}} or {{& }}) is not allowed: use {{ }}',
        mustache.loc?.start.line,
      );
    }
    super.MustacheStatement(mustache);
  }

  override ContentStatement(content: hbs.AST.ContentStatement): void {
    // The source text as written (the typings call it StripFlags; at run time it is the string).
    const source = content.original as unknown as string;
    for (const [pattern, what] of FORBIDDEN_HTML) {
      const match = pattern.exec(source);
      if (match) {
        const line = (content.loc?.start.line ?? 1) + countLines(source.slice(0, match.index));
        throw new PackTemplateError(
          this.file,
          `"${match[0]}" is not allowed: ${what}; pack templates make no request`,
          line,
        );
      }
    }
  }

  override PartialStatement(partial: hbs.AST.PartialStatement): void {
    this.checkPartial(partial.name, partial.loc?.start.line);
    super.PartialStatement(partial);
  }

  override PartialBlockStatement(partial: hbs.AST.PartialBlockStatement): void {
    this.checkPartial(partial.name, partial.loc?.start.line);
    super.PartialBlockStatement(partial);
  }

  private checkPartial(name: hbs.AST.PathExpression | hbs.AST.SubExpression, line?: number): void {
    if (name.type !== 'PathExpression')
      throw new PackTemplateError(this.file, 'dynamic partial names are not allowed', line);
    if (!this.partials.has(name.original)) {
      throw new PackTemplateError(this.file, `partial "${name.original}" does not exist in partials/`, line);
    }
  }
}

/** Returns the stylesheet to inline: checked, without its comments. */
function checkCss(css: string, file: string): string {
  const fail = (match: RegExpExecArray, why: string) =>
    new PackTemplateError(file, `"${match[0]}" is not allowed: ${why}`, 1 + countLines(css.slice(0, match.index)));
  const end = /<\//.exec(css);
  if (end) throw fail(end, 'it would end the <style> element');
  // Comments blanked out, line breaks kept so that line numbers stay right.
  const code = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  for (const [pattern, why] of FORBIDDEN_CSS) {
    const match = pattern.exec(code);
    if (match) throw fail(match, why);
  }
  return code
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Handlebars parse errors span lines ("Parse error on line 3:", the source, a caret, "Expecting ..."). */
function firstAndLastLine(message: string): string {
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : message;
}

function countLines(text: string): number {
  return text.split('\n').length - 1;
}

// Helpers. The last argument Handlebars passes is its options object, never a value from the template.

const EMPTY = '\u2014';

/** PackCoverage.percent is 0-100; "n/a" when nothing is applicable (0/0 is not 0 %). */
export function formatPercent(percent: unknown, applicable: unknown): string {
  if (typeof percent !== 'number') throw new Error(`percent expects a number, got ${typeof percent}`);
  if (applicable === 0) return 'n/a';
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

export function barWidth(percent: unknown, applicable: unknown): number {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || applicable === 0) return 0;
  return Math.min(100, Math.max(0, Math.round(percent * 10) / 10));
}

const STATUS_TONES: Record<string, 'good' | 'warn' | 'bad' | 'neutral'> = {
  covered: 'good',
  implemented: 'good',
  accepted: 'good',
  current: 'good',
  applies: 'good',
  chain_valid: 'good',
  done: 'good',
  minimal: 'good',
  partial: 'warn',
  in_progress: 'warn',
  submitted: 'warn',
  ready_for_review: 'warn',
  limited: 'warn',
  open: 'warn',
  gap: 'bad',
  not_started: 'bad',
  rejected: 'bad',
  stale: 'bad',
  overdue: 'bad',
  chain_broken: 'bad',
  reopened: 'bad',
  high: 'bad',
  prohibited: 'bad',
  not_applicable: 'neutral',
  does_not_apply: 'neutral',
  // Incident reports: obligation states and the incident lifecycle.
  due: 'warn',
  late: 'bad',
  not_required: 'neutral',
  contained: 'warn',
  resolved: 'good',
  closed: 'good',
};

/** A class from a fixed list, whatever the status text: data never chooses a class name. */
export function statusClass(status: unknown): string {
  const tone = typeof status === 'string' ? (STATUS_TONES[status] ?? 'neutral') : 'neutral';
  return `status status-${tone}`;
}

const STATUS_LABELS: Record<string, string> = {
  chain_valid: 'chain intact',
  chain_broken: 'chain broken',
  does_not_apply: 'does not apply',
};

/** "not_applicable" -> "not applicable". */
export function statusLabel(status: unknown): string {
  if (typeof status !== 'string') return EMPTY;
  return STATUS_LABELS[status] ?? status.replace(/_/g, ' ');
}

export function join(list: unknown, separator: unknown): string {
  if (!Array.isArray(list)) throw new Error(`join expects a list, got ${typeof list}`);
  if (list.length === 0) return EMPTY;
  return list.join(typeof separator === 'string' ? separator : ', ');
}

export function formatBytes(size: unknown): string {
  if (typeof size !== 'number' || !Number.isFinite(size)) return EMPTY;
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

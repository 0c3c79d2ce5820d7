import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { dateFormat } from '../common/date-format';

export function webTemplatesDir(): string {
  return path.join(process.cwd(), 'templates', 'web');
}

type ViewOptions = Record<string, unknown> & { layout?: string | false };

/**
 * A tiny Express view engine over Handlebars: every page and partial is compiled once at start-up (a broken template
 * stops the app instead of failing a request), pages render inside `layout.hbs` unless they say `layout: false`.
 * Output is HTML-escaped by `{{ }}`; the templates never use `{{{ }}}` except for the layout's already-rendered body.
 */
export class WebViewEngine {
  private readonly hbs = Handlebars.create();
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();

  /** timeZone: WORKBENCH_TIME_ZONE, the zone the pages print instants and days in. */
  constructor(
    private readonly dir = webTemplatesDir(),
    timeZone = 'UTC',
  ) {
    registerHelpers(this.hbs, timeZone);
    const partialDir = path.join(dir, 'partials');
    for (const file of fs.readdirSync(partialDir).filter((f) => f.endsWith('.hbs'))) {
      this.hbs.registerPartial(path.basename(file, '.hbs'), this.compile(path.join(partialDir, file)));
    }
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
      this.pages.set(path.basename(file, '.hbs'), this.compile(path.join(dir, file)));
    }
    if (!this.pages.has('layout')) throw new Error(`${path.join(dir, 'layout.hbs')} is missing`);
  }

  render(name: string, options: ViewOptions): string {
    const page = this.pages.get(name);
    if (!page) throw new Error(`No web template named ${name}`);
    const body = page(options);
    if (options.layout === false) return body;
    return this.pages.get(options.layout ?? 'layout')!({ ...options, body });
  }

  /** The Express engine callback: Express resolves `views/<name>.hbs`; the precompiled page of that name is used. */
  readonly express = (filePath: string, options: object, callback: (error: unknown, html?: string) => void): void => {
    try {
      callback(null, this.render(path.basename(filePath, '.hbs'), options as ViewOptions));
    } catch (error) {
      callback(error);
    }
  };

  private compile(file: string): Handlebars.TemplateDelegate {
    try {
      const source = fs.readFileSync(file, 'utf8');
      // Handlebars compiles lazily on first use; parsing now makes a syntax error stop start-up, naming the file.
      this.hbs.parse(source);
      // Without preventIndent an indented `{{> partial}}` call indents every line of its output, the text inside a
      // <textarea> included: each show-and-save of a form added four spaces per line (issue 17.3).
      return this.hbs.compile(source, { preventIndent: true });
    } catch (error) {
      throw new Error(`Web template ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function registerHelpers(hbs: typeof Handlebars, timeZone: string): void {
  const dates = dateFormat(timeZone);
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  hbs.registerHelper('short', (hash: unknown) => (typeof hash === 'string' ? hash.slice(0, 12) : ''));
  hbs.registerHelper('day', dates.date);
  hbs.registerHelper('when', dates.datetime);
  hbs.registerHelper('words', (value: unknown) => (typeof value === 'string' ? value.replace(/_/g, ' ') : ''));
  // Handlebars passes its options object last; only the values before it are joined.
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  // The menu entry of the page shown: "/" only itself, any other entry its own pages too ("/systems/…").
  hbs.registerHelper(
    'current',
    (path: unknown, entry: unknown) =>
      typeof path === 'string' &&
      (entry === '/' ? path === '/' : path === entry || path.startsWith(`${String(entry)}/`)),
  );
  hbs.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  hbs.registerHelper('pct', (value: unknown) => (typeof value === 'number' ? `${value}%` : 'n/a'));
}

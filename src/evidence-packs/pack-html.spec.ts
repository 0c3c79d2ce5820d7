import Handlebars from 'handlebars';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  buildPackModel,
  HOSTILE_CONSTRUCTOR,
  HOSTILE_EACH,
  HOSTILE_IFRAME,
  HOSTILE_SCRIPT,
  hostileImage,
} from '../../test/fixtures/pack-model.fixture';
import { PackHtmlBuilder, toPackView } from './pack-html';
import { outlineFromHtml } from '../pdf/pdf-outline';
import { PackModel } from './pack-model';
import {
  defaultPackTemplateDir,
  formatDate,
  formatDateTime,
  formatPercent,
  loadPackTemplates,
  PACK_CONTENT_SECURITY_POLICY,
  PackTemplateError,
  statusClass,
} from '../pdf/pack-templates';

const SECTION_HEADINGS = [
  '1. Management assertion',
  '2. System description',
  '3. Applicability',
  '4. Coverage summary',
  '5. Control matrix',
  '6. Requirement, control and evidence traceability',
  '7. Evidence register',
  '8. Exceptions and deviations',
  '9. Open remediation',
  '10. Threat coverage',
  '11. Incidents of the period',
  '12. Audit-log extract',
  '13. Sign-off',
];

// Elements the pack may contain; anything else (img, iframe, script, link, object...) would be a way out.
const ALLOWED_TAGS = new Set(
  'html head meta title style body section div span h1 h2 h3 p b br table thead tbody tr th td ul ol li dl dt dd a'.split(
    ' ',
  ),
);

/** Real start tags in the document (escaped text like &lt;img ...&gt; is not a tag). */
function startTags(html: string): Array<{ name: string; attributes: string }> {
  const withoutStyle = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  return [...withoutStyle.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)].map((match) => ({
    name: match[1].toLowerCase(),
    attributes: match[2],
  }));
}

function headings(html: string, level: number): string[] {
  return [...html.matchAll(new RegExp(`<h${level}[^>]*>([\\s\\S]*?)</h${level}>`, 'g'))].map((match) =>
    match[1]
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

const CANARY_PORT = 48123;

describe('PackHtmlBuilder', () => {
  const builder = new PackHtmlBuilder();
  const model = buildPackModel({ hostile: true, canaryPort: CANARY_PORT });
  const html = builder.build(model);

  it('has a cover, a contents page and every section, in order, each starting with an <h1>', () => {
    const h1 = headings(html, 1);
    expect(h1[0]).toContain('FY2026 AI governance evidence pack');
    expect(h1[1]).toBe('Contents');
    expect(h1.slice(2)).toEqual(SECTION_HEADINGS);
  });

  it('gives each system and each system x framework an <h2> and each covered or partial requirement an <h3>', () => {
    const h2 = headings(html, 2);
    for (const system of model.scope.systems) expect(h2).toContain(Handlebars.escapeExpression(system.name));
    expect(h2.filter((heading) => heading.includes(': '))).toHaveLength(model.coverage.length);
    const traced = model.coverage.flatMap((coverage) =>
      coverage.requirements.filter((r) => r.status === 'covered' || r.status === 'partial'),
    );
    expect(traced.length).toBeGreaterThan(0);
    expect(headings(html, 3)).toHaveLength(traced.length);
  });

  it("links every section and sub-section heading from the contents page, with the heading's own text", () => {
    // The links are what make Chromium write the named destinations that the PDF outline points at.
    const targets = [...html.matchAll(/<h([12]) [^>]*id="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)].map((match) => ({
      id: match[2],
      text: match[3]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    }));
    const links = [...html.matchAll(/<a href="#([^"]+)">([\s\S]*?)<\/a>/g)].map((match) => ({
      id: match[1],
      text: match[2].trim(),
    }));
    expect(targets.length).toBe(
      SECTION_HEADINGS.length + model.scope.systems.length + model.coverage.length + 2 * model.scope.systems.length,
    );
    expect(links).toEqual(targets);
    expect(new Set(targets.map((target) => target.id)).size).toBe(targets.length);
  });

  it('gives the outline the thirteen sections with their systems and system x framework blocks', () => {
    const outline = outlineFromHtml(html);
    expect(outline.map((entry) => entry.title)).toEqual(SECTION_HEADINGS);
    const [, scope, , , , traceability, evidence, , , threats] = outline;
    expect(threats.children.map((entry) => entry.title)).toEqual(
      model.threatCoverage.map((system) => system.systemName),
    );
    expect(scope.children.map((entry) => entry.title)).toEqual(model.scope.systems.map((system) => system.name));
    expect(traceability.children.map((entry) => entry.title)).toEqual(
      model.coverage.map((block) => `${block.systemName}: ${block.frameworkName}`),
    );
    expect(evidence.children).toHaveLength(model.scope.systems.length);
  });

  it('declares the Content-Security-Policy in <head>, before any content', () => {
    const meta = `<meta http-equiv="Content-Security-Policy" content="${PACK_CONTENT_SECURITY_POLICY}">`;
    expect(PACK_CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html.indexOf(meta)).toBeGreaterThan(0);
    expect(html.indexOf(meta)).toBeLessThan(html.indexOf('<title>'));
    expect(html.indexOf(meta)).toBeLessThan(html.indexOf('<body>'));
  });

  it('escapes hostile text: it comes out as text, never as markup', () => {
    expect(html).toContain('&lt;iframe src&#x3D;file:///etc/passwd&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(`&lt;img src&#x3D;http://127.0.0.1:${CANARY_PORT}/canary.png&gt;`);
    for (const raw of [HOSTILE_IFRAME, HOSTILE_SCRIPT, hostileImage(CANARY_PORT), '<iframe', '<script', '<img']) {
      expect(html).not.toContain(raw);
    }
  });

  it('prints Handlebars syntax found in data literally, without evaluating it', () => {
    expect(html).toContain(HOSTILE_CONSTRUCTOR);
    expect(html).toContain(HOSTILE_EACH);
    expect(html).not.toContain('function Object()');
    expect(html).not.toContain('[object Object]');
  });

  it('uses only inert elements, no src attribute and no href but an in-document #fragment', () => {
    const tags = startTags(html);
    expect(tags.length).toBeGreaterThan(100);
    expect([...new Set(tags.map((tag) => tag.name))].filter((name) => !ALLOWED_TAGS.has(name))).toEqual([]);
    for (const tag of tags) {
      expect(tag.attributes).not.toMatch(/\b(src|srcset|action|data|poster)\s*=/i);
      expect(tag.attributes.replace(/ href="#[A-Za-z0-9_-]+"/, '')).not.toMatch(/\bhref\s*=/i);
      expect(tag.attributes).not.toMatch(/(https?|file):/i);
    }
    expect(html).not.toMatch(/<style>[\s\S]*(url\s*\(|@import)[\s\S]*<\/style>/i);
  });

  it('shows every requirement ref, control code and full evidence SHA-256', () => {
    for (const coverage of model.coverage) {
      for (const requirement of coverage.requirements)
        expect(html).toContain(
          requirement.status === 'covered' || requirement.status === 'partial'
            ? `<span class="ref">${requirement.ref}</span>`
            : `<b>${requirement.ref}`,
        );
    }
    for (const row of model.controlMatrix) expect(html).toContain(row.code);
    for (const evidence of model.evidenceIndex) expect(html).toContain(`<span class="mono">${evidence.sha256}</span>`);
    expect(html).toContain(model.auditLog.headHash);
  });

  it('numbers evidence E001, E002... by system in the index, and the traceability cites those numbers', () => {
    const view = toPackView(model);
    expect(view.evidenceIndex.map((evidence) => evidence.ref)).toEqual(
      view.evidenceIndex.map((_, i) => `E${String(i + 1).padStart(3, '0')}`),
    );
    expect(new Set(view.evidenceIndex.map((evidence) => evidence.id))).toEqual(
      new Set(model.evidenceIndex.map((evidence) => evidence.id)),
    );
    const systemsInOrder = view.evidenceIndex
      .map((evidence) => evidence.systemName)
      .filter((name, i, all) => i === 0 || all[i - 1] !== name);
    expect(systemsInOrder).toEqual([...new Set(systemsInOrder)]);
    const refById = new Map(view.evidenceIndex.map((evidence) => [evidence.id, evidence.ref]));
    const cited = view.coverage.flatMap((block) =>
      block.requirements.flatMap((r) => r.controls.flatMap((c) => c.evidence)),
    );
    expect(cited.length).toBeGreaterThan(0);
    for (const evidence of cited) expect(evidence.ref).toBe(refById.get(evidence.id));
    for (const evidence of view.evidenceIndex)
      expect(html).toContain(`${evidence.ref} ${Handlebars.escapeExpression(evidence.title)}`);
  });

  it('prints for each requirement the line that decided it: controls, relationship, strength, sufficiency and evidence by pack reference', () => {
    const view = toPackView(model);
    const requirements = view.coverage.flatMap((block) => block.requirements);
    const covered = requirements.find(
      (r) => r.status === 'covered' && r.decidedBy.controls.some((c) => c.evidence.length > 0),
    )!;
    const [control] = covered.decidedBy.controls;
    const refs = control.evidence.map((id) => view.evidenceIndex.find((e) => e.id === id)!.ref);
    expect(covered.why).toBe(
      `Covered: ${control.code} ${control.relationship} ${control.strength}/10 sufficient, implemented, ${refs.join(' ')}`,
    );
    const partial = requirements.find((r) => r.status === 'partial')!;
    expect(partial.why).toMatch(/^Partial, no sufficient path holds: AIG-[A-Z]{3}-\d{2} [a-z-]+ \d+\/10/);
    const notApplicable = requirements.find((r) => r.status === 'not_applicable')!;
    expect(notApplicable.why).toBe(notApplicable.reason);
    for (const r of [covered, partial])
      expect(html).toContain(`<div class="reason text">${Handlebars.escapeExpression(r.why)}</div>`);
  });

  it('shows per system each relevant threat with its rule, mitigations, controls, red-team result and status', () => {
    const section = html.slice(html.indexOf('id="s-threats"'), html.indexOf('id="s-incidents"'));
    expect(section).toContain('AML.T0051');
    expect(section).toContain('LLM01');
    expect(section).toContain('llm-prompt-injection');
    expect(section).toContain(
      `AML.M0020 Generative AI Guardrails: ${model.threatCoverage[0].threats[0].mitigations[0].controls[0].code} equal-to 8/10 sufficient`,
    );
    expect(section).toMatch(/Latest red team: .*Prompt injection red-team exercise.*fail/);
    expect(section).toContain('Red-team reports name ATLAS techniques; see the ATLAS entries.');
    expect(section).toContain('the latest red-team report naming it (as of the as-of time)');
    expect(section).toContain('No threat of policies/threats.yaml is relevant to this system.');
  });

  it('lists the incidents of the period with severity, categories, status and obligations with due time, state and notifications', () => {
    const section = html.slice(html.indexOf('id="s-incidents"'), html.indexOf('id="s-audit-log"'));
    expect(section).toContain('Prompt injection leaked customer e-mails');
    expect(section).toContain('Period 2026-01-01 to 2026-12-31');
    expect(section).toMatch(/high.*personal data breach.*contained/);
    expect(section).toContain('GDPR Art. 33(1)');
    expect(section).toMatch(/due 2026-11-17 15:24 Europe\/Berlin.*done.*notified 2026-11-16 12:00 UTC via portal/);
    expect(section).toMatch(/GDPR Art. 34\(1\).*no fixed period.*due/);
    const none = builder.build({
      ...buildPackModel({ kind: 'system' }),
      incidents: { from: null, to: model.asOf, timeZone: 'UTC', items: [] },
    });
    expect(none).toContain('No incident touching these systems became known up to the as-of time.');
  });

  it('prints times in UTC and the cover facts', () => {
    expect(html).toContain(model.packId);
    expect(html).toContain('2026-11-24 12:00 UTC');
    expect(html).toContain('2026-11-24 12:03 UTC');
    expect(html).toContain('Period 2026-01-01 to 2026-12-31');
  });

  it('renders a single-system pack without the audit block, and empty sections with a sentence', () => {
    const single: PackModel = { ...buildPackModel({ kind: 'system' }), openRemediation: [], evidenceIndex: [] };
    const out = builder.build(single);
    expect(out).toContain('Single AI system');
    expect(out).not.toContain('Audit engagement');
    expect(out).toContain('No remediation item was open at the as-of time.');
    expect(out).toContain('No evidence is recorded for the controls in scope.');
  });

  it('reports a broken audit chain and its problem', () => {
    const broken = buildPackModel();
    broken.auditLog = { ...broken.auditLog, chainValid: false, problem: 'entry 17 has a different hash' };
    const out = builder.build(broken);
    expect(out).toContain('chain broken');
    expect(out).toContain('entry 17 has a different hash');
  });

  it('fails loudly when the model misses a field a template prints (strict templates)', () => {
    const incomplete = buildPackModel() as Partial<PackModel>;
    delete incomplete.requestedBy;
    expect(() => builder.build(incomplete as PackModel)).toThrow(/"requestedBy" not defined/);
  });

  it('gives the renderer a footer line, INTERIM while the audit period runs', () => {
    expect(builder.footer(model)).toBe(
      `INTERIM \u00b7 Evidence pack ${model.packId} \u00b7 records as of 2026-11-24 12:00 UTC`,
    );
    expect(builder.footer({ ...model, interim: false })).toBe(
      `Evidence pack ${model.packId} \u00b7 records as of 2026-11-24 12:00 UTC`,
    );
  });
});

describe('pack template helpers', () => {
  it('formats timestamps in UTC whatever the offset they carry', () => {
    expect(formatDateTime('2026-03-01T23:30:00.000-05:00')).toBe('2026-03-02 04:30 UTC');
    expect(formatDate('2026-03-01T23:30:00.000-05:00')).toBe('2026-03-02');
    expect(formatDate(null)).toBe('\u2014');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('shows coverage as n/a when nothing applies', () => {
    expect(formatPercent(0, 0)).toBe('n/a');
    expect(formatPercent(57.14, 7)).toBe('57.1%');
    expect(formatPercent(100, 3)).toBe('100%');
  });

  it('maps any status to a class from a fixed list', () => {
    expect(statusClass('covered')).toBe('status status-good');
    expect(statusClass('gap')).toBe('status status-bad');
    expect(statusClass('"><script>')).toBe('status status-neutral');
  });
});

describe('loadPackTemplates', () => {
  const source = defaultPackTemplateDir();
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-templates-'));
    fs.cpSync(source, dir, { recursive: true });
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const edit = (file: string, change: (text: string) => string) =>
    fs.writeFileSync(path.join(dir, file), change(fs.readFileSync(path.join(dir, file), 'utf8')));

  const loadError = (): PackTemplateError => {
    try {
      loadPackTemplates(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(PackTemplateError);
      return error as PackTemplateError;
    }
    throw new Error('the templates loaded');
  };

  it('loads the shipped templates', () => {
    const templates = loadPackTemplates(source);
    expect(templates.files).toEqual(
      expect.arrayContaining(['templates/evidence-pack/pack.hbs', 'templates/evidence-pack/pack.css']),
    );
    expect(templates.files.filter((file) => file.includes('/partials/')).length).toBeGreaterThanOrEqual(9);
  });

  it('refuses unescaped output, naming the file and line', () => {
    edit('partials/cover.hbs', (text) => text.replace('<h1>{{title}}</h1>', '<h1>{{{title}}}</h1>'));
    const error = loadError();
    expect(error.file).toMatch(/partials[/\\]cover\.hbs$/);
    expect(error.message).toMatch(/cover\.hbs line 3: unescaped output/);
  });

  it('refuses {{& }} as well', () => {
    edit('partials/sign-off.hbs', (text) => text.replace('({{packId}})', '({{&packId}})'));
    expect(loadError().message).toMatch(/sign-off\.hbs line \d+: unescaped output/);
  });

  it('refuses anything that could make a request', () => {
    edit('partials/audit-log.hbs', (text) =>
      text.replace('</section>', '<img src="https://example.com/x.png"></section>'),
    );
    expect(loadError().message).toMatch(/audit-log\.hbs line \d+: "<img" is not allowed/);
  });

  it('refuses an href other than an in-document #fragment', () => {
    edit('partials/contents.hbs', (text) =>
      text.replace('<a href="#s-coverage">', '<a href="https://example.com/#s-coverage">'),
    );
    expect(loadError().message).toMatch(/contents\.hbs line \d+: "href=" is not allowed: .*only href="#fragment"/);
    edit('partials/contents.hbs', (text) =>
      text.replace('<a href="https://example.com/#s-coverage">', '<a href=#s-coverage>'),
    );
    expect(loadError().message).toMatch(/contents\.hbs line \d+: "href=" is not allowed/);
  });

  it('refuses a url() in the stylesheet', () => {
    edit('pack.css', (text) => `${text}\nbody { background: url(http://127.0.0.1/x.png); }\n`);
    expect(loadError().message).toMatch(/pack\.css line \d+: "url\(" is not allowed/);
  });

  it('refuses a stylesheet that would close the <style> element', () => {
    edit('pack.css', (text) => `${text}\n/* </style><script>alert(1)</script> */\n`);
    expect(loadError().message).toMatch(/pack\.css line \d+: "<\/" is not allowed/);
  });

  it('refuses a layout without the Content-Security-Policy meta tag', () => {
    edit('pack.hbs', (text) => text.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    expect(loadError().message).toMatch(
      /pack\.hbs: the layout must declare <meta http-equiv="Content-Security-Policy"/,
    );
  });

  it('refuses a helper that is not registered', () => {
    edit('partials/remediation.hbs', (text) => text.replace('{{date dueDate}}', '{{shout dueDate}}'));
    expect(loadError().message).toMatch(/remediation\.hbs: .*unknown helper shout/);
  });

  it('refuses a reference to a partial that does not exist', () => {
    edit('pack.hbs', (text) => text.replace('{{> sign-off}}', '{{> signoff}}'));
    expect(loadError().message).toMatch(/pack\.hbs line \d+: partial "signoff" does not exist/);
  });

  it('reports a syntax error with the file name', () => {
    edit('partials/system.hbs', (text) => text.replace('{{/each}}', '{{/if}}'));
    expect(loadError().message).toMatch(/partials[/\\]system\.hbs: /);
  });

  it('reports a missing file by name', () => {
    fs.rmSync(path.join(dir, 'pack.css'));
    expect(loadError().message).toMatch(/pack\.css: cannot be read \(ENOENT\)/);
  });
});

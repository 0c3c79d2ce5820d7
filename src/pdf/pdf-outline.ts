/**
 * PDF bookmarks (the outline) without a tagged PDF.
 *
 * Chromium builds an outline only from a tagged PDF, and tagging costs about a third of the print time of a large
 * pack. Chromium does, however, write a named destination for every element that an in-document link points at.
 * So the pack links each section heading from its contents page, and after printing we append an outline that
 * points at those destinations: an incremental update (new objects, a new catalog, a new xref section) after
 * Chromium's bytes, which stay untouched. Viewers and poppler read incremental updates as a matter of course.
 */

export interface OutlineEntry {
  title: string;
  /** The id of the heading; Chromium names its destination after it. */
  dest: string;
  children: OutlineEntry[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * The outline of a document: every <h1 id> and <h2 id>, in document order, h2 nested under the h1 before it.
 * Titles are the headings' text (tags dropped, entities decoded, whitespace collapsed).
 */
export function outlineFromHtml(html: string): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  const heading = /<h([12])\b[^>]*?\bid="([A-Za-z0-9_-]+)"[^>]*>([\s\S]*?)<\/h\1>/g;
  for (const [, level, dest, inner] of html.matchAll(heading)) {
    const title = decodeEntities(inner.replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    const entry = { title, dest, children: [] };
    const parent = entries[entries.length - 1];
    if (level === '2' && parent) parent.children.push(entry);
    else entries.push(entry);
  }
  return entries;
}

/** A PDF text string in UTF-16BE with a byte-order mark, written as hex: any title, no escaping questions. */
function pdfTextString(text: string): string {
  return `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

export class PdfOutlineError extends Error {}

/** The body of object `number` when it is a plain dictionary (`N 0 obj <<...>> endobj`), else null. */
function dictionaryOf(text: string, number: string): string | null {
  return new RegExp(`(?:^|[\\r\\n])${number} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`).exec(text)?.[1] ?? null;
}

/**
 * Appends an outline to a PDF written by Chromium (Skia): classic xref table, a plain catalog dictionary and a
 * /Dests dictionary of named destinations. Entries whose destination Chromium did not write (a heading that no link
 * points at) are left out. Throws PdfOutlineError when the file is not shaped as expected, rather than guess.
 */
export function addOutline(pdf: Buffer, entries: OutlineEntry[]): Buffer {
  const text = pdf.toString('latin1');
  const tail = text.slice(-1024);
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(tail);
  if (!startxref || !trailer) throw new PdfOutlineError('no classic trailer at the end of the PDF');
  const size = /\/Size (\d+)/.exec(trailer[1]);
  const root = /\/Root (\d+) 0 R/.exec(trailer[1]);
  const info = /\/Info (\d+) 0 R/.exec(trailer[1]);
  if (!size || !root) throw new PdfOutlineError('the trailer has no /Size or /Root');

  const catalog = dictionaryOf(text, root[1]);
  if (catalog === null || !catalog.includes('/Type /Catalog'))
    throw new PdfOutlineError('the catalog object was not found');
  if (catalog.includes('/Outlines')) throw new PdfOutlineError('the PDF already has an outline');

  const destsRef = /\/Dests (\d+) 0 R/.exec(catalog);
  const dests = destsRef ? dictionaryOf(text, destsRef[1]) : null;
  const named = new Set([...(dests ?? '').matchAll(/\/([A-Za-z0-9_-]+)\s*\[/g)].map((match) => match[1]));
  const keep = (list: OutlineEntry[]): OutlineEntry[] =>
    list.filter((entry) => named.has(entry.dest)).map((entry) => ({ ...entry, children: keep(entry.children) }));
  const tree = keep(entries);
  if (tree.length === 0) return pdf;

  // Object numbers: the outline root first, then every entry depth-first.
  let next = Number(size[1]);
  const rootNumber = next++;
  interface Numbered {
    entry: OutlineEntry;
    number: number;
    children: Numbered[];
  }
  const number = (list: OutlineEntry[]): Numbered[] =>
    list.map((entry) => {
      const own = next++;
      return { entry, number: own, children: number(entry.children) };
    });
  const numbered = number(tree);
  const count = (list: Numbered[]): number => list.reduce((sum, item) => sum + 1 + count(item.children), 0);

  const objects: Array<{ number: number; body: string }> = [];
  const emit = (list: Numbered[], parent: number) =>
    list.forEach((item, i) => {
      const fields = [
        `/Title ${pdfTextString(item.entry.title)}`,
        `/Parent ${parent} 0 R`,
        `/Dest /${item.entry.dest}`,
        i > 0 ? `/Prev ${list[i - 1].number} 0 R` : '',
        i < list.length - 1 ? `/Next ${list[i + 1].number} 0 R` : '',
        item.children.length
          ? `/First ${item.children[0].number} 0 R /Last ${item.children[item.children.length - 1].number} 0 R`
          : '',
        // Negative: sections open closed, so the panel shows the eight sections first.
        item.children.length ? `/Count -${count(item.children)}` : '',
      ];
      objects.push({ number: item.number, body: `<<${fields.filter(Boolean).join(' ')}>>` });
      emit(item.children, item.number);
    });
  objects.push({
    number: rootNumber,
    body: `<</Type /Outlines /First ${numbered[0].number} 0 R /Last ${numbered[numbered.length - 1].number} 0 R /Count ${numbered.length}>>`,
  });
  emit(numbered, rootNumber);
  const catalogBody = `${catalog.replace(/\/PageMode\s*\/\w+/, '').trim()}\n/Outlines ${rootNumber} 0 R\n/PageMode /UseOutlines`;
  objects.push({ number: Number(root[1]), body: `<<${catalogBody}>>` });

  // The update: objects, then an xref section with one subsection per object, then the trailer pointing back.
  let body = text.endsWith('\n') ? '' : '\n';
  const offsets = new Map<number, number>();
  for (const object of objects) {
    offsets.set(object.number, pdf.length + Buffer.byteLength(body, 'latin1'));
    body += `${object.number} 0 obj\n${object.body}\nendobj\n`;
  }
  const xrefOffset = pdf.length + Buffer.byteLength(body, 'latin1');
  body += 'xref\n';
  for (const [objectNumber, offset] of [...offsets].sort((a, b) => a[0] - b[0])) {
    body += `${objectNumber} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
  }
  body += `trailer\n<</Size ${next}\n/Root ${root[1]} 0 R${info ? `\n/Info ${info[1]} 0 R` : ''}\n/Prev ${startxref[1]}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(body, 'latin1')]);
}

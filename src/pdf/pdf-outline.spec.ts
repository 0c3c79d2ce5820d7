import { addOutline, OutlineEntry, outlineFromHtml, PdfOutlineError } from './pdf-outline';

/** A small PDF laid out the way Skia writes one: classic xref table, catalog with /Dests. */
function skiaLikePdf(dests: string[]): Buffer {
  const objects = [
    '<</Creator (Chromium)>>',
    '<</Type /Pages /Count 1 /Kids [3 0 R]>>',
    '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>',
    `<<${dests.map((name, i) => `/${name} [3 0 R /XYZ 0 ${800 - i * 10} 0]`).join('\n')}>>`,
    '<</Type /Catalog\n/Pages 2 0 R\n/Dests 4 0 R>>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<</Size ${objects.length + 1}\n/Root 5 0 R\n/Info 1 0 R>>\nstartxref\n${xref}\n%%EOF`;
  return Buffer.from(body, 'latin1');
}

/** The objects of the update, by number, read back through the new xref section (so the offsets are checked too). */
function updateObjects(pdf: Buffer, original: Buffer): Map<number, string> {
  const text = pdf.toString('latin1');
  const update = text.slice(original.length);
  const xrefAt = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(update)![1]);
  expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
  const objects = new Map<number, string>();
  for (const [, number, offset] of text.slice(xrefAt).matchAll(/(\d+) 1\n(\d{10}) 00000 n \n/g)) {
    const at = Number(offset);
    expect(text.slice(at).startsWith(`${number} 0 obj\n`)).toBe(true);
    objects.set(Number(number), text.slice(at, text.indexOf('endobj', at)));
  }
  return objects;
}

const hex = (title: string) => `<FEFF${Buffer.from(title, 'utf16le').swap16().toString('hex').toUpperCase()}>`;

describe('outlineFromHtml', () => {
  it('takes every h1/h2 with an id, nests h2 under the h1 before it, and decodes the text', () => {
    const html =
      '<h1>Cover, no id</h1><h1 id="a">1. Scope</h1><h2 id="a-0">Fraud &amp; risk &lt;model&gt; &#x3D; <b>v2</b></h2>' +
      '<h3 id="x">not in the outline</h3><h1 class="x" id="b">2.\n  Coverage</h1>';
    expect(outlineFromHtml(html)).toEqual([
      { title: '1. Scope', dest: 'a', children: [{ title: 'Fraud & risk <model> = v2', dest: 'a-0', children: [] }] },
      { title: '2. Coverage', dest: 'b', children: [] },
    ]);
  });
});

describe('addOutline', () => {
  const entries: OutlineEntry[] = [
    {
      title: '1. Scope',
      dest: 's1',
      children: [
        { title: 'Claims <script>alert(1)</script> (é)', dest: 's1-0', children: [] },
        { title: 'Second', dest: 's1-1', children: [] },
      ],
    },
    { title: '2. Coverage', dest: 's2', children: [] },
    { title: 'No destination', dest: 'missing', children: [] },
  ];

  it('appends an outline tree, a new catalog and an xref section that points back to the original', () => {
    const original = skiaLikePdf(['s1', 's1-0', 's1-1', 's2']);
    const pdf = addOutline(original, entries);
    expect(pdf.subarray(0, original.length).equals(original)).toBe(true);

    const objects = updateObjects(pdf, original);
    // Outline root (6), 1. Scope (7) with children 8 and 9, 2. Coverage (10), and the catalog again (5).
    expect([...objects.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(objects.get(5)).toContain('/Type /Catalog');
    expect(objects.get(5)).toContain('/Dests 4 0 R');
    expect(objects.get(5)).toContain('/Outlines 6 0 R');
    expect(objects.get(5)).toContain('/PageMode /UseOutlines');
    expect(objects.get(6)).toContain('/Type /Outlines /First 7 0 R /Last 10 0 R /Count 2');
    expect(objects.get(7)).toContain(
      `/Title ${hex('1. Scope')} /Parent 6 0 R /Dest /s1 /Next 10 0 R /First 8 0 R /Last 9 0 R /Count -2`,
    );
    expect(objects.get(8)).toContain(
      `/Title ${hex('Claims <script>alert(1)</script> (é)')} /Parent 7 0 R /Dest /s1-0 /Next 9 0 R`,
    );
    expect(objects.get(9)).toContain('/Parent 7 0 R /Dest /s1-1 /Prev 8 0 R');
    expect(objects.get(10)).toContain('/Parent 6 0 R /Dest /s2 /Prev 7 0 R');
    expect(pdf.toString('latin1')).not.toContain('/Dest /missing');

    const trailer = pdf.toString('latin1').slice(original.length);
    const originalXref = /startxref\n(\d+)/.exec(original.toString('latin1'))![1];
    expect(trailer).toMatch(new RegExp(`trailer\\n<</Size 11\\n/Root 5 0 R\\n/Info 1 0 R\\n/Prev ${originalXref}>>`));
  });

  it('returns the PDF unchanged when no entry has a destination', () => {
    const original = skiaLikePdf([]);
    expect(addOutline(original, entries)).toBe(original);
  });

  it('refuses what it does not recognise instead of guessing', () => {
    expect(() => addOutline(Buffer.from('not a pdf'), entries)).toThrow(PdfOutlineError);
    const withOutline = Buffer.from(
      skiaLikePdf(['s1']).toString('latin1').replace('/Dests 4 0 R>>', '/Dests 4 0 R /Outlines 3 0 R>>'),
      'latin1',
    );
    expect(() => addOutline(withOutline, entries)).toThrow(/already has an outline/);
  });
});

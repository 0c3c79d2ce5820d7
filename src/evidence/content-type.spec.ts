import { contradictsClaim, detectType, safeFileName } from './content-type';

describe('evidence content type', () => {
  const pdf = Buffer.from('%PDF-1.7\n...');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

  it('detects from magic bytes, not names', () => {
    expect(detectType(pdf, true, 'report.txt')?.mediaType).toBe('application/pdf');
    expect(detectType(png, true, 'x.pdf')?.mediaType).toBe('image/png');
    expect(detectType(Buffer.from('a,b\n1,2\n'), true, 'x.csv')?.mediaType).toBe('text/csv');
  });

  it('refuses binaries, HTML and SVG', () => {
    expect(detectType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), true, 'a.txt')).toBeNull();
    expect(detectType(Buffer.from('MZ\x90\x00\x03'), true, 'a.txt')).toBeNull();
    expect(detectType(Buffer.from('<!DOCTYPE html><script>1</script>'), true, 'a.txt')).toBeNull();
    expect(detectType(Buffer.from('<svg onload=alert(1)>'), true, 'a.txt')).toBeNull();
    expect(detectType(Buffer.from([0xc3, 0x28, 0x41, 0x41, 0x41, 0x41, 0x41]), true, 'a.txt')).toBeNull();
  });

  it('refuses HTML, SVG and XML behind a BOM, whitespace, comments, an XML prolog or a doctype', () => {
    const markup = [
      '<!-- exported --><html><script>alert(1)</script></html>',
      '\ufeff<!DOCTYPE html><p>x</p>',
      '\n\t <!-- a -->\n<!-- b --> <body onload=alert(1)>',
      '<?xml version="1.0"?><!-- drawn by hand --><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg/>',
      '<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><report/>',
      '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
      '<SCRIPT>alert(1)</SCRIPT>',
      '<iframe src="https://example.test"></iframe>',
      '<!DOCTYPE note><note/>',
      `<!-- ${'long comment '.repeat(400)}`,
    ];
    for (const text of markup)
      expect({ text: text.slice(0, 60), type: detectType(Buffer.from(text), true, 'notes.txt') }).toEqual({
        text: text.slice(0, 60),
        type: null,
      });
    // A comment still open at the end of the sniffed window hides what follows: refused too.
    expect(detectType(Buffer.from(`<!-- ${'x'.repeat(5000)}`).subarray(0, 4096), false, 'notes.txt')).toBeNull();
    for (const text of [
      'a < b and c > d',
      '<2026-11-03> deployed 1.2',
      '< not a tag',
      'Results: <= 0.5 is a pass',
      '-- <!-- not at the start',
    ]) {
      expect(detectType(Buffer.from(text), true, 'notes.txt')?.mediaType).toBe('text/plain');
    }
  });

  it('checks the name as it will be stored: extensions the sanitiser reveals, active types, bidi controls', () => {
    const text = detectType(Buffer.from('hello'), true, 'x.txt')!;
    const zip = detectType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), true, 'x.zip')!;
    for (const name of [
      'evil.html*',
      'payload.js?',
      'evil.html\u0000',
      'evil.html.',
      'evil.html. . ',
      'evil.htm"',
      'run.hta',
      'run.vbs',
      'run.HTA',
      'x.ps1',
      'x.wsf',
      'x.svgz',
      'x.xhtml',
      'x.lnk',
      'x.scr',
      'x.jse',
      'x.mht',
      'dir/evil.html|',
    ]) {
      expect({ name, refused: contradictsClaim(text, 'text/plain', name) }).toEqual({
        name,
        refused: expect.stringContaining('not accepted'),
      });
    }
    expect(contradictsClaim(zip, 'application/zip', 'macro.hta')).toContain('not accepted');
    for (const name of ['evil\u202Elmth.txt', 'report\u2066.pdf\u2069.txt', 'a\u200Fb.txt', 'a\u061Cb.txt']) {
      expect({ name, refused: contradictsClaim(text, 'text/plain', name) }).toEqual({
        name,
        refused: expect.stringContaining('bidirectional'),
      });
    }
    for (const name of ['notes.txt', 'results.csv', 'evil.html.txt', 'README', 'résumé.md'])
      expect(contradictsClaim(text, 'text/plain', name)).toBeNull();
  });

  it('catches a spoofed claim', () => {
    expect(contradictsClaim(detectType(png, true, 'x.pdf')!, 'application/pdf', 'x.pdf')).toContain('image/png');
    expect(
      contradictsClaim(detectType(Buffer.from('hello'), true, 'x.pdf')!, 'application/octet-stream', 'x.pdf'),
    ).toContain('named .pdf');
    expect(contradictsClaim(detectType(pdf, true, 'x.pdf')!, 'application/pdf', 'x.pdf')).toBeNull();
  });

  it('makes traversal names harmless', () => {
    expect(safeFileName('../../etc/passwd', 'txt')).toBe('passwd');
    expect(safeFileName('..\\..\\win.ini', 'txt')).toBe('win.ini');
    expect(safeFileName('a"\r\nSet-Cookie: x.pdf', 'pdf')).toBe('aSet-Cookie x.pdf');
    expect(safeFileName('...', 'pdf')).toBe('evidence.pdf');
    // Windows drops trailing dots and spaces on save: "x.html." would open as HTML.
    expect(safeFileName('evil.html. .', 'txt')).toBe('evil.html');
  });
});

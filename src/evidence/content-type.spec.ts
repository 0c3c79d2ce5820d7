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

  it('catches a spoofed claim', () => {
    expect(contradictsClaim(detectType(png, true, 'x.pdf')!, 'application/pdf', 'x.pdf')).toContain('image/png');
    expect(contradictsClaim(detectType(Buffer.from('hello'), true, 'x.pdf')!, 'application/octet-stream', 'x.pdf')).toContain('named .pdf');
    expect(contradictsClaim(detectType(pdf, true, 'x.pdf')!, 'application/pdf', 'x.pdf')).toBeNull();
  });

  it('makes traversal names harmless', () => {
    expect(safeFileName('../../etc/passwd', 'txt')).toBe('passwd');
    expect(safeFileName('..\\..\\win.ini', 'txt')).toBe('win.ini');
    expect(safeFileName('a"\r\nSet-Cookie: x.pdf', 'pdf')).toBe('aSet-Cookie x.pdf');
    expect(safeFileName('...', 'pdf')).toBe('evidence.pdf');
  });
});

import { toCsv } from './csv';

describe('toCsv', () => {
  const columns = [
    { header: 'name', value: (r: { name: string; n: number | null; tags: string[] }) => r.name },
    { header: 'n', value: (r: { n: number | null }) => r.n },
    { header: 'tags', value: (r: { tags: string[] }) => r.tags },
  ];

  it('writes RFC 4180: a header, CRLF rows, quoting only where a field needs it', () => {
    const text = toCsv(columns, [
      { name: 'plain', n: 3, tags: ['a', 'b'] },
      { name: 'comma, "quote"\nnewline', n: null, tags: [] },
    ]);
    expect(text).toBe('name,n,tags\r\nplain,3,a; b\r\n"comma, ""quote""\nnewline",,\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, but not numbers', () => {
    const text = toCsv(columns, [
      { name: '=1+1', n: -5, tags: ['@SUM(A1)'] },
      { name: '+cmd', n: 0, tags: ['-x'] },
    ]);
    expect(text.split('\r\n').slice(1, 3)).toEqual(["'=1+1,-5,'@SUM(A1)", "'+cmd,0,'-x"]);
  });
});

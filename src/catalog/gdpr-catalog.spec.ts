import * as path from 'node:path';
import type { RequirementDef } from './catalog-defs';
import { loadPolicySet } from './policy-files';

const REAL = path.join(__dirname, '..', '..', 'policies');

/**
 * Articles split below article level (issue 14.4), with the number of paragraphs each has in Regulation (EU) 2016/679
 * and, for a paragraph split into points, its last point. A split article lists every paragraph, so no content of
 * the article is lost; these counts are facts of the Regulation, not of our catalog.
 */
const PARAGRAPHS: Record<number, number> = {
  5: 2,
  6: 4,
  9: 4,
  12: 8,
  13: 4,
  14: 5,
  15: 4,
  17: 3,
  18: 3,
  20: 4,
  21: 6,
  22: 4,
  24: 3,
  25: 3,
  28: 10,
  30: 5,
  32: 4,
  33: 5,
  34: 4,
  35: 11,
  36: 5,
};
const POINTS: Record<string, string> = { 'Art. 5(1)': 'f', 'Art. 6(1)': 'f', 'Art. 32(1)': 'd', 'Art. 35(7)': 'd' };

/** The leaves issue 14.4 asks for by name. */
const REQUIRED_LEAVES = [
  ...'abcdef'.split('').map((p) => `Art. 5(1)(${p})`),
  'Art. 5(2)',
  ...'abcdef'.split('').map((p) => `Art. 6(1)(${p})`),
  'Art. 9(2)',
  'Art. 24(1)',
  'Art. 25(1)',
  'Art. 25(2)',
  'Art. 28(1)',
  'Art. 28(2)',
  'Art. 28(3)',
  'Art. 30(1)',
  'Art. 30(2)',
  ...'abcd'.split('').map((p) => `Art. 32(1)(${p})`),
  'Art. 32(2)',
  'Art. 32(3)',
  'Art. 32(4)',
  'Art. 33(1)',
  'Art. 33(2)',
  'Art. 33(3)',
  'Art. 33(4)',
  'Art. 33(5)',
  'Art. 34(1)',
  'Art. 34(2)',
  'Art. 34(3)',
  'Art. 35(1)',
  'Art. 35(3)',
  ...'abcd'.split('').map((p) => `Art. 35(7)(${p})`),
  'Art. 35(9)',
  'Art. 35(11)',
  'Art. 36(1)',
];

describe('GDPR catalog at paragraph level', () => {
  const policies = loadPolicySet(REAL);
  const gdpr = policies.frameworks.find((f) => f.key === 'gdpr')!;
  const byRef = new Map(gdpr.requirements.map((r) => [r.ref, r]));
  const childrenOf = (ref: string): RequirementDef[] => gdpr.requirements.filter((r) => r.parent === ref);

  it('has every paragraph and point the issue names as a leaf, with ids in the form Art. 35(7)(a)', () => {
    const missing = REQUIRED_LEAVES.filter((ref) => !byRef.get(ref)?.isLeaf);
    expect(missing).toEqual([]);
    for (const r of gdpr.requirements.filter((x) => x.level === 'paragraph' || x.level === 'point')) {
      expect(r.ref).toMatch(
        r.level === 'paragraph' ? /^Art\. \d{1,2}\(\d{1,2}\)$/ : /^Art\. \d{1,2}\(\d{1,2}\)\([a-z]\)$/,
      );
    }
  });

  it('splits each article completely: every paragraph in order, the article stays the parent at article level', () => {
    for (const [article, count] of Object.entries(PARAGRAPHS)) {
      const ref = `Art. ${article}`;
      expect(byRef.get(ref)).toMatchObject({ level: 'article', isLeaf: false });
      const paragraphs = childrenOf(ref);
      expect(paragraphs.map((p) => p.ref)).toEqual(Array.from({ length: count }, (_, i) => `${ref}(${i + 1})`));
      for (const p of paragraphs) expect(p.level).toBe('paragraph');
    }
    for (const [paragraph, last] of Object.entries(POINTS)) {
      const letters = 'abcdefghij'.slice(0, 'abcdefghij'.indexOf(last) + 1).split('');
      expect(byRef.get(paragraph)!.isLeaf).toBe(false);
      expect(childrenOf(paragraph).map((p) => [p.ref, p.level])).toEqual(
        letters.map((l) => [`${paragraph}(${l})`, 'point']),
      );
    }
  });

  it('keeps the 11 chapters and 99 articles, and splits no article it does not list', () => {
    expect(gdpr.requirements.filter((r) => r.level === 'chapter')).toHaveLength(11);
    const articles = gdpr.requirements.filter((r) => r.level === 'article');
    expect(articles).toHaveLength(99);
    const split = articles.filter((a) => !a.isLeaf).map((a) => Number(a.ref.slice(5)));
    expect(split.sort((a, b) => a - b)).toEqual(Object.keys(PARAGRAPHS).map(Number));
    // 78 unsplit articles, 97 paragraphs without points, 20 points.
    expect(gdpr.requirements.filter((r) => r.isLeaf)).toHaveLength(195);
  });

  it('gives each new paragraph and point its own title and description', () => {
    const below = gdpr.requirements.filter((r) => r.level === 'paragraph' || r.level === 'point');
    expect(new Set(below.map((r) => r.title)).size).toBe(below.length);
    for (const r of below) expect(r.description.length).toBeGreaterThan(30);
  });
});

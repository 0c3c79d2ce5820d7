import { DomainError } from '../common/domain-errors';
import { MAX_CATALOG_NODES, MAX_REPORTED_ERRORS, parseOscalCatalog } from './oscal-catalog-import';

const metadata = { title: 'Trial', 'last-modified': '2026-01-01T00:00:00Z', version: '1', 'oscal-version': '1.0.6' };
const catalog = (fields: Record<string, unknown>) => ({
  catalog: { uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', metadata, ...fields },
});

async function refusal(document: unknown): Promise<DomainError> {
  const error = await parseOscalCatalog(document).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('OSCAL catalog import', () => {
  it('reads a valid catalog into requirements', async () => {
    const parsed = await parseOscalCatalog(
      catalog({ groups: [{ id: 'g1', title: 'Group', controls: [{ id: 'c1', title: 'One' }] }] }),
    );
    expect(parsed.requirements.map((r) => [r.ref, r.parentRef, r.isLeaf])).toEqual([
      ['g1', null, false],
      ['c1', 'g1', true],
    ]);
  });

  it('names each invalid group or control once, at the deepest node, in document order, up to the bound', async () => {
    const error = await refusal(
      catalog({
        controls: [
          { id: 'c1' },
          { id: 'c2', title: 'Two', controls: [{ id: 'c2.1', title: 'Sub', props: [{ name: 'x' }] }] },
        ],
        groups: [{ id: 'g1', title: 'G', groups: [{ id: 'g1.1' }] }],
      }),
    );
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe('The OSCAL catalog is not valid: /catalog/controls/0/title is required');
    expect((error.details as { errors: unknown[] }).errors).toEqual([
      { path: '/catalog/controls/0/title', message: 'is required' },
      { path: '/catalog/controls/1/controls/0/props/0/value', message: 'is required' },
      { path: '/catalog/groups/0/groups/0/title', message: 'is required' },
    ]);
    const many = await refusal(
      catalog({
        controls: Array.from({ length: 500 }, (_, i) => ({
          id: `c${i}`,
          props: Array.from({ length: 50 }, () => ({})),
        })),
      }),
    );
    expect((many.details as { errors: unknown[] }).errors).toHaveLength(MAX_REPORTED_ERRORS);
  });

  it('refuses more groups and controls than the bound as too large, before validating them', async () => {
    const error = await refusal(
      catalog({
        groups: [
          { id: 'g', title: 'G', controls: Array.from({ length: MAX_CATALOG_NODES }, (_, i) => ({ id: `c${i}` })) },
        ],
      }),
    );
    expect(error.kind).toBe('too_large');
    expect(error.message).toContain(String(MAX_CATALOG_NODES));
  });

  it('reads OSCAL 1.0.x, 1.1.x and 1.2.x catalogs, each against the schema of its version', async () => {
    for (const version of ['1.0.6', '1.1.2', '1.2.1', '1.2.3']) {
      const document = {
        catalog: {
          uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
          metadata: { ...metadata, 'oscal-version': version },
          groups: [{ id: 'g1', title: 'G', controls: [{ id: 'c1', title: 'One' }] }],
        },
      };
      expect((await parseOscalCatalog(document)).requirements).toHaveLength(2);
    }
    // OSCAL 1.2's JSON schema lets a group hold groups or controls, not both; 1.0.6 allowed both.
    const both = (version: string) => ({
      catalog: {
        uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        metadata: { ...metadata, 'oscal-version': version },
        groups: [{ id: 'g1', title: 'G', groups: [{ id: 'g2', title: 'G2' }], controls: [{ id: 'c1', title: 'One' }] }],
      },
    });
    expect((await parseOscalCatalog(both('1.0.6'))).requirements).toHaveLength(3);
    const error = await refusal(both('1.2.1'));
    expect(error.message).toBe(
      'The OSCAL catalog is not valid: /catalog/groups/0 holds both groups and controls (OSCAL 1.2: one of them)',
    );
  });

  it('refuses what is not a catalog at all', async () => {
    for (const document of [null, [], 'catalog', { nothing: true }, { catalog: { uuid: 'x' } }]) {
      expect((await refusal(document)).kind).toBe('invalid');
    }
  });
});

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OSCAL_MODEL_NAMES, oscalModelOf, validateOscal } from './oscal-schemas';

const DIR = path.join(__dirname, 'schemas', '1.2.1');

describe('bundled OSCAL 1.2.1 schemas', () => {
  it('are the NIST files byte for byte (SHA-256 as listed in SOURCE.md)', () => {
    const listed = [
      ...fs
        .readFileSync(path.join(DIR, 'SOURCE.md'), 'utf8')
        .matchAll(/^\| (oscal_[a-z-]+_schema\.json) \| .* \| ([0-9a-f]{64}) \|$/gm),
    ].filter(([, file]) => file !== 'oscal_complete_schema.json');
    expect(listed.map(([, file]) => file).sort()).toEqual(
      fs
        .readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    );
    for (const [, file, digest] of listed)
      expect([
        file,
        createHash('sha256')
          .update(fs.readFileSync(path.join(DIR, file)))
          .digest('hex'),
      ]).toEqual([file, digest]);
  });

  it('detects the model from the root key and names problems by JSON path', () => {
    expect(OSCAL_MODEL_NAMES).toHaveLength(8);
    expect(oscalModelOf({ $schema: 'x', 'mapping-collection': {} })).toBe('mapping-collection');
    expect(oscalModelOf({ catalog: {}, profile: {} })).toBeNull();
    expect(validateOscal({ nothing: 1 }).errors[0].path).toBe('/');
    const { model, errors } = validateOscal({
      'mapping-collection': { uuid: 'not-a-uuid', metadata: { title: 'x' }, mappings: [] },
    });
    expect(model).toBe('mapping-collection');
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '/mapping-collection/uuid',
        '/mapping-collection/provenance',
        '/mapping-collection/metadata/last-modified',
      ]),
    );
  });
});

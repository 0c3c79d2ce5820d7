// Folder-level cycle check (npm run cycles, after the file-level one in .dependency-cruiser.cjs): the feature modules
// of src/ (one folder each) must form a graph without cycles, so that each can be read with only the modules below it.
// Two files that do not import each other can still tie their folders together (ai-systems -> controls -> ai-systems
// through different files); the file-level check cannot see that, this one does.
// Left out: the infrastructure every module uses and that is global in Nest (STYLE 17: config, common, database with
// its entity registry and migrations, audit-log and its signing key; users and auth, which the guard needs), and the
// files at the top of src/ (app.module, main) that compose everything. With them in, every module would sit in one
// cycle through database/entities.ts.
// A folder here is each directory, subfolders included (evidence/kinds/entities is not evidence), so this also keeps the
// subfolders of one module from tying into a cycle; a cycle between two modules whose edges leave from and arrive at
// different subfolders of each is caught by the last step, scripts/module-cycles.js, which collapses these same files
// to one node per top-level folder of src/ (dependency-cruiser's collapse option only shapes reports).
const base = require('./.dependency-cruiser.cjs');

const INFRASTRUCTURE = '^src/(config|common|database|audit-log|signing|users|auth)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'Modules (folders of src/) must not depend on each other in a circle: move the shared piece to the module it ' +
        'belongs to, or give the lower module a port (see src/common/bound-port.ts).',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    ...base.options,
    exclude: { path: [base.options.exclude.path, '\\.spec\\.ts$', INFRASTRUCTURE, '^src/[^/]+\\.ts$'] },
  },
};

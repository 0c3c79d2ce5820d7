// Module-level cycle check (the last step of npm run cycles): the feature modules (top-level folders of src/) must
// form a graph without cycles, whatever subfolder an import leaves from or arrives at. dependency-cruiser's folder
// scope compares each directory on its own (evidence/kinds/entities is not evidence), and its `collapse` option only
// shapes reports, after the rules ran, so the modules are collapsed here: the files and exclusions are those of
// .dependency-cruiser-folders.cjs (the global infrastructure, top-level files and specs left out). Each cycle found is
// printed with its shortest loop and the imports that make it, and the check fails.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const json = execFileSync(
  process.execPath,
  [
    path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
    '--config',
    '.dependency-cruiser-folders.cjs',
    '--output-type',
    'json',
    'src',
  ],
  { cwd: root, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
);

const moduleOf = (file) => /^src\/([^/]+)\//.exec(file)?.[1] ?? null;
/** module -> module it imports -> the file imports behind that edge */
const edges = new Map();
let files = 0;
for (const file of JSON.parse(json).modules) {
  const from = moduleOf(file.source);
  if (!from) continue;
  files++;
  if (!edges.has(from)) edges.set(from, new Map());
  for (const dependency of file.dependencies) {
    const to = moduleOf(dependency.resolved);
    if (!to || to === from) continue;
    const imports = edges.get(from).get(to) ?? [];
    imports.push(`${file.source} -> ${dependency.resolved}`);
    edges.get(from).set(to, imports);
  }
}

// Tarjan's strongly connected components: every component of more than one module is a cycle.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let next = 0;
function visit(node) {
  index.set(node, next);
  low.set(node, next++);
  stack.push(node);
  onStack.add(node);
  for (const target of (edges.get(node) ?? new Map()).keys()) {
    if (!index.has(target)) {
      visit(target);
      low.set(node, Math.min(low.get(node), low.get(target)));
    } else if (onStack.has(target)) low.set(node, Math.min(low.get(node), index.get(target)));
  }
  if (low.get(node) !== index.get(node)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== node);
  if (component.length > 1) cycles.push(component.sort());
}
for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);

if (cycles.length === 0) {
  console.log(`✔ no module cycle (${edges.size} modules of src/, ${files} files)`);
  process.exit(0);
}
/** The shortest cycle through the component's modules: the edges to look at first (others may remain after it). */
function shortestCycle(component) {
  let best = null;
  for (const start of component) {
    const cameFrom = new Map([[start, null]]);
    const queue = [start];
    let closing = null;
    while (queue.length && !closing) {
      const node = queue.shift();
      for (const target of (edges.get(node) ?? new Map()).keys()) {
        if (!component.includes(target)) continue;
        if (target === start) {
          closing = node;
          break;
        }
        if (!cameFrom.has(target)) {
          cameFrom.set(target, node);
          queue.push(target);
        }
      }
    }
    const path = [start];
    for (let node = closing; node !== start; node = cameFrom.get(node)) path.splice(1, 0, node);
    if (!best || path.length < best.length) best = path;
  }
  return best;
}
for (const component of cycles) {
  const cycle = shortestCycle(component);
  console.error(`✘ module cycle among ${component.join(', ')}; shortest: ${[...cycle, cycle[0]].join(' -> ')}`);
  cycle.forEach((from, i) => {
    const to = cycle[(i + 1) % cycle.length];
    const imports = edges.get(from).get(to);
    console.error(`    ${from} -> ${to}`);
    for (const line of imports.slice(0, 3)) console.error(`      ${line}`);
    if (imports.length > 3) console.error(`      and ${imports.length - 3} more`);
  });
}
console.error(
  'Modules must not depend on each other in a circle: move the shared piece to the module it belongs to, or give the ' +
    'lower module a port (see src/common/bound-port.ts).',
);
process.exit(1);

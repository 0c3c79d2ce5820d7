import { Inject, Injectable, Optional } from '@nestjs/common';
import { PackControlRow, PackCoverage, PackModel, PackSystem } from './pack-model';
import { formatDateTime, loadPackTemplates, PackTemplates } from './pack-templates';

/** Where the evidence-pack templates live; defaults to templates/evidence-pack under the working directory. */
export const PACK_TEMPLATE_DIR = Symbol('PACK_TEMPLATE_DIR');

/** What the templates receive: the model as assembled, plus counts and names derived from it. */
export interface PackView extends Omit<PackModel, 'scope'> {
  scope: Omit<PackModel['scope'], 'systems'> & { systems: PackViewSystem[] };
  /** The coverage rows and the control matrix grouped by system, in the order the model lists them. */
  coverageBySystem: Array<{ systemName: string; rows: PackCoverage[] }>;
  controlMatrixBySystem: Array<{ systemName: string; rows: PackControlRow[] }>;
  summary: {
    systems: number;
    frameworks: number;
    controls: number;
    evidence: number;
    staleEvidence: number;
    openRemediation: number;
    overdueRemediation: number;
  };
}

export interface PackViewSystem extends Omit<PackSystem, 'applicability'> {
  applicability: Array<PackSystem['applicability'][number] & { frameworkName: string }>;
}

/**
 * Turns a PackModel into the self-contained HTML document the PDF renderer prints. The templates are loaded,
 * checked and compiled once, when the builder is created; a bad template stops the app with the file's name.
 * Usable without Nest: `new PackHtmlBuilder()` or `new PackHtmlBuilder(dir)`.
 */
@Injectable()
export class PackHtmlBuilder {
  private readonly templates: PackTemplates;

  constructor(@Optional() @Inject(PACK_TEMPLATE_DIR) templateDir?: string) {
    this.templates = loadPackTemplates(templateDir);
  }

  build(model: PackModel): string {
    return this.templates.render(toPackView(model));
  }

  /** The line printed beside the page number on every page (the renderer escapes it). */
  footer(model: PackModel): string {
    return `Evidence pack ${model.packId} \u00b7 records as of ${formatDateTime(model.asOf)}`;
  }
}

export function toPackView(model: PackModel): PackView {
  const frameworkNames = new Map(model.scope.frameworks.map((framework) => [framework.key, framework.name]));
  return {
    ...model,
    scope: {
      ...model.scope,
      systems: model.scope.systems.map((system) => ({
        ...system,
        applicability: system.applicability.map((entry) => ({
          ...entry,
          frameworkName: frameworkNames.get(entry.framework) ?? entry.framework,
        })),
      })),
    },
    coverageBySystem: groupBySystem(model.coverage),
    controlMatrixBySystem: groupBySystem(model.controlMatrix),
    summary: {
      systems: model.scope.systems.length,
      frameworks: model.scope.frameworks.length,
      controls: new Set(model.controlMatrix.map((row) => row.code)).size,
      evidence: model.evidenceIndex.length,
      staleEvidence: model.evidenceIndex.filter((evidence) => !evidence.current).length,
      openRemediation: model.openRemediation.length,
      overdueRemediation: model.openRemediation.filter((task) => task.overdue).length,
    },
  };
}

function groupBySystem<T extends { systemName: string }>(rows: T[]): Array<{ systemName: string; rows: T[] }> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.systemName);
    if (group) group.push(row);
    else groups.set(row.systemName, [row]);
  }
  return [...groups].map(([systemName, grouped]) => ({ systemName, rows: grouped }));
}

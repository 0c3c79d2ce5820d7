import { Injectable } from '@nestjs/common';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { Actor } from '../common/auth.decorators';
import { notFound } from '../common/domain-errors';
import { ControlsService } from '../controls/controls.service';
import { WebLayout } from './web-layout.service';

export const COVERAGE_STATUSES = ['gap', 'partial', 'covered', 'not_applicable'] as const;
export type CoverageStatusFilter = (typeof COVERAGE_STATUSES)[number];

/**
 * One framework's requirements for one system, each with its verdict, the rule and reason behind it, its
 * applicability and the controls and evidence it rests on: the drill-down the system page links to, loaded on demand
 * so the system page carries one summary line per framework (issue 17: the page was 266 KB with every requirement).
 */
@Injectable()
export class WebCoverageService {
  constructor(
    private readonly layout: WebLayout,
    private readonly systems: AiSystemsService,
    private readonly controls: ControlsService,
  ) {}

  async page(actor: Actor, systemId: string, frameworkKey: string, status?: CoverageStatusFilter) {
    const [system, coverage] = await Promise.all([
      this.systems.get(actor, systemId),
      this.controls.coverageOf(actor, systemId),
    ]);
    const framework = coverage.frameworks.find((f) => f.framework === frameworkKey);
    if (!framework) throw notFound('Framework', frameworkKey);
    const requirements = status ? framework.requirements.filter((r) => r.status === status) : framework.requirements;
    const base = `/systems/${systemId}/coverage/${encodeURIComponent(frameworkKey)}`;
    return this.layout.page(actor, `${framework.name} — ${system.name}`, {
      system,
      framework,
      requirements,
      status: status ?? null,
      filters: [
        { label: `all (${framework.requirements.length})`, href: base, current: !status },
        ...COVERAGE_STATUSES.map((s) => ({
          label: `${s.replace(/_/g, ' ')} (${framework.requirements.filter((r) => r.status === s).length})`,
          href: `${base}?status=${s}`,
          current: status === s,
        })),
      ],
      csvUrl: `/api/v1/systems/${systemId}/coverage?framework=${encodeURIComponent(frameworkKey)}&format=csv`,
    });
  }
}

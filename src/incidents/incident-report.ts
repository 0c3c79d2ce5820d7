import { Inject, Injectable, Optional } from '@nestjs/common';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { DomainError } from '../common/domain-errors';
import { PDF_RENDERER, PdfRenderer } from '../pdf/chromium-pdf-renderer';
import { loadPackTemplates, PackTemplates } from '../pdf/pack-templates';
import { displayTime, IncidentView } from './incident.view';

export const INCIDENT_REPORT_TEMPLATE_DIR = Symbol('INCIDENT_REPORT_TEMPLATE_DIR');
// Reports print on request, not as queued jobs: a few pages each. Past this many at once the caller is asked to retry.
const MAX_CONCURRENT_RENDERS = 2;

export interface ReportEvidence {
  id: string;
  title: string;
  sha256: string;
}

const HOW_MET: Record<string, string> = {
  due: 'Not yet met: due',
  late: 'Not met and past its due time',
  not_required: 'Not required',
};

/** The incident report as the template reads it: the incident view plus a merged timeline and words for each state. */
export function toReportModel(incident: IncidentView, evidence: ReportEvidence[], generatedAt: string) {
  const { timeZone } = incident;
  const evidenceById = new Map(evidence.map((e) => [e.id, e]));
  const timeline = [
    { at: incident.detectedAt, what: 'Detected', detail: `Reported by ${incident.reporter}` },
    { at: incident.becameAwareAt, what: 'Became aware', detail: 'Every notification clock starts here' },
    ...incident.notifications.map((n) => ({
      at: n.sentAt,
      what: 'Notification sent',
      detail: `${n.legalBasis ?? ''}: ${n.recipient} by ${n.channel.replace(/_/g, ' ')}${n.late ? ' (late)' : ''}`,
    })),
    ...incident.timeline.map((e) => ({
      at: e.at,
      what: e.kind.replace(/_/g, ' '),
      detail: `${e.summary} (${e.actor})`,
    })),
  ]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((entry) => ({ ...entry, atLocal: displayTime(entry.at, timeZone) }));
  const notificationsById = new Map(incident.notifications.map((n) => [n.id, n]));
  return {
    title: `Incident report: ${incident.title}`,
    generatedAt,
    generatedAtLocal: displayTime(generatedAt, timeZone),
    incident: { ...incident, affectedCountKnown: incident.affectedCount !== null },
    stateCounts: Object.entries(incident.affectedByState)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([state, count]) => ({ state, count })),
    systemNames: incident.systems.map((s) => s.name),
    timeline,
    obligations: incident.obligations.map((o) => {
      const first = o.notificationIds.map((id) => notificationsById.get(id)).find((n) => !!n);
      const howMet =
        o.state === 'done' && first
          ? `Met ${first.late ? `late (${first.lateReason})` : 'on time'}: ${first.recipient} notified by ${first.channel.replace(/_/g, ' ')} at ${first.sentAtLocal}${first.reference ? `, reference ${first.reference}` : ''}`
          : o.state === 'not_required'
            ? `Not required: ${o.notRequiredReason}`
            : HOW_MET[o.state];
      return { ...o, howMet };
    }),
    notifications: incident.notifications.map((n) => ({
      ...n,
      evidence: n.evidenceId ? (evidenceById.get(n.evidenceId) ?? null) : null,
    })),
    evidence,
  };
}

/**
 * Prints the incident report with the evidence packs' renderer and defences: our own checked Handlebars templates
 * (templates/incident-report/), user text only escaped, JavaScript off, every request aborted, a CSP meta tag, a
 * fresh browser context, the pack timeout and page cap.
 */
@Injectable()
export class IncidentReportRenderer {
  private readonly templates: PackTemplates;
  private inFlight = 0;

  constructor(
    @Inject(PDF_RENDERER) private readonly pdf: PdfRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(INCIDENT_REPORT_TEMPLATE_DIR) templateDir?: string,
  ) {
    this.templates = loadPackTemplates(templateDir ?? path.join(process.cwd(), 'templates', 'incident-report'), {
      layout: 'report.hbs',
      css: 'report.css',
    });
  }

  html(model: ReturnType<typeof toReportModel>): string {
    return this.templates.render(model);
  }

  async render(model: ReturnType<typeof toReportModel>): Promise<Buffer> {
    if (this.inFlight >= MAX_CONCURRENT_RENDERS)
      throw new DomainError(
        'overloaded',
        'Incident reports are being printed; try again in a few seconds',
        undefined,
        5,
      );
    this.inFlight++;
    try {
      const rendered = await this.pdf.render(this.html(model), {
        timeoutMs: this.config.packTimeoutMs,
        footer: `Incident report ${model.incident.id} \u00b7 as of ${model.generatedAtLocal}`,
        outline: false,
      });
      return rendered.pdf;
    } finally {
      this.inFlight--;
    }
  }
}

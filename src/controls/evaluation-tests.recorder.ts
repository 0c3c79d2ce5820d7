import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CLOCK, Clock, iso } from '../common/time';
import type { Tx } from '../database/transaction-runner';
import {
  EvaluationTestsInput,
  EvaluationTestsPort,
  EvaluationTestsRecorder,
} from '../evidence/kinds/evaluation-tests.port';
import { metricPasses } from '../evidence/kinds/structured-evidence';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlTestsRepository } from './control-tests.repository';
import { ControlTestEntity } from './entities/control-test.entity';
import { EvaluationMetricEntity } from './entities/evaluation-metric.entity';
import { EvaluationMetricsRepository } from './evaluation-metrics.repository';

/**
 * The control tests an evaluation records (issue 20.4): one per metric threshold and control of the evidence, pass
 * when the value meets the threshold in its direction, else fail; linked to the evidence, with the uploader as tester
 * and the measured figures kept beside the test (evaluation_metrics). Automated: the server judges the result, so
 * the four-eyes rule of manual tests (the owner may not test) does not apply; the human check is the evidence review,
 * where someone other than the uploader accepts or rejects the evaluation (docs/architecture.md).
 */
@Injectable()
export class EvaluationTestsRecorderService implements EvaluationTestsRecorder, OnModuleInit {
  constructor(
    private readonly implementations: ControlImplementationsRepository,
    private readonly tests: ControlTestsRepository,
    private readonly metrics: EvaluationMetricsRepository,
    private readonly auditLog: AuditLogService,
    private readonly port: EvaluationTestsPort,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.port.bind(this);
  }

  async recordEvaluationTests(tx: Tx, { actor, evidence, controlCodes, evaluation }: EvaluationTestsInput) {
    const wanted = new Set(controlCodes);
    // A control marked not applicable takes no tests (as for manual ones); its evidence link stays.
    const implementations = (await this.implementations.findBySystem(evidence.systemId, tx))
      .filter((i) => wanted.has(i.controlCode) && i.status !== 'not_applicable')
      .sort((a, b) => a.controlCode.localeCompare(b.controlCode));
    const model = `${evaluation.model.name}@${evaluation.model.version}`;
    const dataset = `${evaluation.dataset.name}@${evaluation.dataset.version}`;
    const recordedAt = iso(this.clock.now());
    let count = 0;
    for (const implementation of implementations) {
      const rows: EvaluationMetricEntity[] = [];
      for (const metric of evaluation.metrics) {
        const pass = metricPasses(metric);
        const unit = metric.unit ?? '';
        const comparison = metric.direction === 'higher_is_better' ? 'at least' : 'at most';
        const test = Object.assign(new ControlTestEntity(), {
          id: randomUUID(),
          implementationId: implementation.id,
          systemId: evidence.systemId,
          controlCode: implementation.controlCode,
          testedAt: evidence.collectedAt,
          procedure: `Automated from evaluation evidence: ${metric.name} of ${model} on ${dataset} must be ${comparison} ${metric.threshold}${unit}`,
          populationSize: null,
          sampleSize: null,
          result: pass ? 'pass' : 'fail',
          notes: `Recorded by the server from evidence ${evidence.id} ("${evidence.title}"): measured ${metric.value}${unit}, ${pass ? 'meets' : 'misses'} the threshold.`,
          testerId: actor.id,
          recordedAt,
        });
        await this.tests.insert(tx, test, [evidence.id]);
        rows.push(
          Object.assign(new EvaluationMetricEntity(), {
            testId: test.id,
            evidenceId: evidence.id,
            systemId: evidence.systemId,
            controlCode: implementation.controlCode,
            name: metric.name,
            value: metric.value,
            threshold: metric.threshold,
            direction: metric.direction,
            unit,
            model: model.slice(0, 210),
            dataset: dataset.slice(0, 210),
            measuredAt: evidence.collectedAt,
          }),
        );
        await this.auditLog.append(tx, {
          actor: actor.email,
          action: 'control.test',
          entityType: 'control_implementation',
          entityId: implementation.id,
          payload: {
            testId: test.id,
            systemId: evidence.systemId,
            controlCode: implementation.controlCode,
            testedAt: test.testedAt,
            result: test.result,
            procedure: test.procedure,
            evidenceIds: [evidence.id],
            automated: true,
            metric: {
              name: metric.name,
              value: metric.value,
              threshold: metric.threshold,
              direction: metric.direction,
              unit,
            },
          },
        });
        count++;
      }
      await this.metrics.insert(tx, rows);
    }
    return count;
  }
}

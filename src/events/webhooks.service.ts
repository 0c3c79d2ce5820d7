import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AuditLogService } from '../audit-log/audit-log.service';
import { Actor } from '../common/auth.decorators';
import { invalid, notFound } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryListDto,
  WebhookDeletedDto,
  WebhookListDto,
  WebhookViewDto,
} from './dto/webhook.dto';
import { WebhookEntity } from './entities/webhook.entity';
import { resolvePublic, TargetRefused, urlProblem } from './webhook-target';
import { WebhooksRepository } from './webhooks.repository';

const MIN_SECRET_BYTES = 32;
const DELIVERY_PAGE = 100;

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(): Promise<WebhookListDto> {
    return { items: (await this.webhooks.findLive()).map(view) };
  }

  /**
   * Refuses a target that is not http(s) or whose host resolves to a loopback, private, link-local or unique-local
   * address (unless WORKBENCH_WEBHOOK_ALLOW_PRIVATE); the dispatcher checks the address again on every connection.
   */
  async create(actor: Actor, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const url = dto.url.trim();
    const problem = urlProblem(url);
    if (problem) throw invalid(`url ${problem}`, { field: 'url' });
    if (dto.secret !== undefined && Buffer.byteLength(dto.secret) < MIN_SECRET_BYTES)
      throw invalid(`secret must be at least ${MIN_SECRET_BYTES} bytes`, { field: 'secret' });
    if (!this.config.webhooks.allowPrivateTargets) {
      try {
        await resolvePublic(new URL(url).hostname);
      } catch (error) {
        const reason =
          error instanceof TargetRefused ? error.message : `cannot be resolved (${(error as Error).message})`;
        throw invalid(`url is refused: ${reason}`, { field: 'url' });
      }
    }
    const secret = dto.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
    const webhook = Object.assign(new WebhookEntity(), {
      id: randomUUID(),
      url,
      events: [...dto.events].sort(),
      secret,
      description: dto.description?.trim() ?? '',
      createdBy: actor.id,
      createdAt: iso(this.clock.now()),
      deletedAt: null,
    });
    await this.tx.run(async (tx) => {
      await this.webhooks.insert(tx, webhook);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'webhook.create',
        entityType: 'webhook',
        entityId: webhook.id,
        // Never the secret itself.
        payload: {
          url,
          events: webhook.events,
          description: webhook.description,
          secret: dto.secret ? 'given' : 'generated',
        },
      });
    });
    return { ...view(webhook), secret };
  }

  async remove(actor: Actor, id: string): Promise<WebhookDeletedDto> {
    return this.tx.run(async (tx) => {
      const { deleted, cancelled } = await this.webhooks.softDelete(tx, id, iso(this.clock.now()));
      if (!deleted) throw notFound('Webhook', id);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'webhook.delete',
        entityType: 'webhook',
        entityId: id,
        payload: { cancelledDeliveries: cancelled },
      });
      return { id, cancelledDeliveries: cancelled };
    });
  }

  /** The latest deliveries of a webhook, newest event first, each with every attempt. */
  async deliveries(id: string): Promise<DeliveryListDto> {
    if (!(await this.webhooks.findLiveById(id))) throw notFound('Webhook', id);
    const deliveries = await this.webhooks.findDeliveries(id, DELIVERY_PAGE);
    const attempts = await this.webhooks.findAttempts(deliveries.map((d) => d.id));
    const byDelivery = new Map<string, typeof attempts>();
    for (const a of attempts) {
      const list = byDelivery.get(a.deliveryId);
      if (list) list.push(a);
      else byDelivery.set(a.deliveryId, [a]);
    }
    return {
      items: deliveries.map((d) => ({
        id: d.id,
        eventId: d.eventId,
        eventType: d.eventType,
        entityKey: d.entityKey,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        createdAt: d.createdAt,
        finishedAt: d.finishedAt,
        attemptLog: (byDelivery.get(d.id) ?? []).map((a) => ({
          attempt: a.attempt,
          startedAt: a.startedAt,
          durationMs: a.durationMs,
          statusCode: a.statusCode,
          error: a.error,
        })),
      })),
    };
  }
}

function view(w: WebhookEntity): WebhookViewDto {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    description: w.description,
    createdBy: w.createdBy,
    createdAt: w.createdAt,
  };
}

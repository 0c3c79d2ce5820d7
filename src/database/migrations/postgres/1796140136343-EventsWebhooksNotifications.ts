import { MigrationInterface, QueryRunner } from 'typeorm';

/** The domain-event outbox, webhooks with their deliveries and attempts, and per-user notifications (issues 20.6, 17.14). */
export class EventsWebhooksNotifications1796140136343 implements MigrationInterface {
  name = 'EventsWebhooksNotifications1796140136343';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "domain_events" ("seq" SERIAL NOT NULL, "id" character varying(36) NOT NULL, "type" character varying(40) NOT NULL, "entityType" character varying(40) NOT NULL, "entityId" character varying(36) NOT NULL, "systemId" character varying(36), "payload" text NOT NULL, "actor" character varying(320) NOT NULL, "dedupeKey" character varying(200), "createdAt" character varying(24) NOT NULL, CONSTRAINT "PK_793e562ed120b26114aa29adc9e" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_domain_events_id" ON "domain_events" ("id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_domain_events_dedupe" ON "domain_events" ("dedupeKey") `);
    await queryRunner.query(`CREATE INDEX "IDX_domain_events_entity" ON "domain_events" ("entityType", "entityId") `);
    await queryRunner.query(
      `CREATE TABLE "user_notifications" ("id" character varying(36) NOT NULL, "userId" character varying(36) NOT NULL, "eventId" character varying(36) NOT NULL, "type" character varying(40) NOT NULL, "text" character varying(500) NOT NULL, "link" character varying(300) NOT NULL, "createdAt" character varying(24) NOT NULL, "readAt" character varying(24), CONSTRAINT "PK_569622b0fd6e6ab3661de985a2b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_user_notifications_user" ON "user_notifications" ("userId", "readAt", "createdAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhooks" ("id" character varying(36) NOT NULL, "url" character varying(2000) NOT NULL, "events" text NOT NULL, "secret" character varying(200) NOT NULL, "description" character varying(200) NOT NULL DEFAULT '', "createdBy" character varying(36) NOT NULL, "createdAt" character varying(24) NOT NULL, "deletedAt" character varying(24), CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" character varying(36) NOT NULL, "webhookId" character varying(36) NOT NULL, "eventSeq" integer NOT NULL, "eventId" character varying(36) NOT NULL, "eventType" character varying(40) NOT NULL, "entityKey" character varying(80) NOT NULL, "status" character varying(16) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "nextAttemptAt" character varying(24) NOT NULL, "claimedBy" character varying(80), "lastStatusCode" integer, "lastError" text, "finishedAt" character varying(24), "createdAt" character varying(24) NOT NULL, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_order" ON "webhook_deliveries" ("webhookId", "entityKey", "eventSeq") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries" ("status", "nextAttemptAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_delivery_attempts" ("id" character varying(36) NOT NULL, "deliveryId" character varying(36) NOT NULL, "attempt" integer NOT NULL, "startedAt" character varying(24) NOT NULL, "durationMs" integer NOT NULL, "statusCode" integer, "error" text, CONSTRAINT "PK_59ef9124585b56c18b98548a0c6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_delivery_attempts_delivery" ON "webhook_delivery_attempts" ("deliveryId", "attempt") `,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_ab7a4dca7a25e29b745e2e1b601" FOREIGN KEY ("webhookId") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "FK_c3ea793c3b048889755a0b76b9e" FOREIGN KEY ("deliveryId") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_delivery_attempts" DROP CONSTRAINT "FK_c3ea793c3b048889755a0b76b9e"`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_ab7a4dca7a25e29b745e2e1b601"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_delivery_attempts_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_deliveries_order"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_user_notifications_user"`);
    await queryRunner.query(`DROP TABLE "user_notifications"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_domain_events_entity"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_domain_events_dedupe"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_domain_events_id"`);
    await queryRunner.query(`DROP TABLE "domain_events"`);
  }
}

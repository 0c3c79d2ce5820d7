import { MigrationInterface, QueryRunner } from 'typeorm';

/** The domain-event outbox, webhooks with their deliveries and attempts, and per-user notifications (issues 20.6, 17.14). */
export class EventsWebhooksNotifications1796140127679 implements MigrationInterface {
  name = 'EventsWebhooksNotifications1796140127679';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "domain_events" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(36) NOT NULL, "type" varchar(40) NOT NULL, "entityType" varchar(40) NOT NULL, "entityId" varchar(36) NOT NULL, "systemId" varchar(36), "payload" text NOT NULL, "actor" varchar(320) NOT NULL, "dedupeKey" varchar(200), "createdAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_domain_events_id" ON "domain_events" ("id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_domain_events_dedupe" ON "domain_events" ("dedupeKey") `);
    await queryRunner.query(`CREATE INDEX "IDX_domain_events_entity" ON "domain_events" ("entityType", "entityId") `);
    await queryRunner.query(
      `CREATE TABLE "user_notifications" ("id" varchar(36) PRIMARY KEY NOT NULL, "userId" varchar(36) NOT NULL, "eventId" varchar(36) NOT NULL, "type" varchar(40) NOT NULL, "text" varchar(500) NOT NULL, "link" varchar(300) NOT NULL, "createdAt" varchar(24) NOT NULL, "readAt" varchar(24))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_user_notifications_user" ON "user_notifications" ("userId", "readAt", "createdAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhooks" ("id" varchar(36) PRIMARY KEY NOT NULL, "url" varchar(2000) NOT NULL, "events" text NOT NULL, "secret" varchar(200) NOT NULL, "description" varchar(200) NOT NULL DEFAULT (''), "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL, "deletedAt" varchar(24))`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" varchar(36) PRIMARY KEY NOT NULL, "webhookId" varchar(36) NOT NULL, "eventSeq" integer NOT NULL, "eventId" varchar(36) NOT NULL, "eventType" varchar(40) NOT NULL, "entityKey" varchar(80) NOT NULL, "status" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "nextAttemptAt" varchar(24) NOT NULL, "claimedBy" varchar(80), "lastStatusCode" integer, "lastError" text, "finishedAt" varchar(24), "createdAt" varchar(24) NOT NULL, CONSTRAINT "FK_ab7a4dca7a25e29b745e2e1b601" FOREIGN KEY ("webhookId") REFERENCES "webhooks" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_order" ON "webhook_deliveries" ("webhookId", "entityKey", "eventSeq") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries" ("status", "nextAttemptAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_delivery_attempts" ("id" varchar(36) PRIMARY KEY NOT NULL, "deliveryId" varchar(36) NOT NULL, "attempt" integer NOT NULL, "startedAt" varchar(24) NOT NULL, "durationMs" integer NOT NULL, "statusCode" integer, "error" text, CONSTRAINT "FK_c3ea793c3b048889755a0b76b9e" FOREIGN KEY ("deliveryId") REFERENCES "webhook_deliveries" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_delivery_attempts_delivery" ON "webhook_delivery_attempts" ("deliveryId", "attempt") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_webhook_delivery_attempts_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery_attempts"`);
    await queryRunner.query(`DROP INDEX "IDX_webhook_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "IDX_webhook_deliveries_order"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
    await queryRunner.query(`DROP INDEX "IDX_user_notifications_user"`);
    await queryRunner.query(`DROP TABLE "user_notifications"`);
    await queryRunner.query(`DROP INDEX "IDX_domain_events_entity"`);
    await queryRunner.query(`DROP INDEX "UQ_domain_events_dedupe"`);
    await queryRunner.query(`DROP INDEX "UQ_domain_events_id"`);
    await queryRunner.query(`DROP TABLE "domain_events"`);
  }
}

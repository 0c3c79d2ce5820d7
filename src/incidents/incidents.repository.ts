import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { conflict } from '../common/domain-errors';
import { compareAndSet, StatusColumn } from '../database/status-transition';
import { Tx } from '../database/transaction-runner';
import {
  IncidentEntity,
  IncidentEventEntity,
  IncidentEvidenceEntity,
  IncidentNotificationEntity,
  IncidentObligationEntity,
  IncidentStatus,
  IncidentSystemEntity,
} from './entities/incident.entity';
import { incidentStatusMachine } from './incident-status';
import { appendTo } from '../common/multimap';

const INCIDENT_STATUS = new StatusColumn(IncidentEntity, incidentStatusMachine);
/** The order of the events one write records (IncidentsService.update). */
const EVENT_ORDER = ['created', 'facts_changed', 'notification', 'review', 'status_changed'];

export interface IncidentFilter {
  /** null: every incident; else only incidents touching one of these systems. */
  visibleSystemIds: string[] | null;
  status?: IncidentStatus;
  systemId?: string;
}

@Injectable()
export class IncidentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<IncidentEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(IncidentEntity).findOneBy({ id });
  }

  async findPage(
    filter: IncidentFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: IncidentEntity[]; total: number }> {
    if (filter.visibleSystemIds !== null && filter.visibleSystemIds.length === 0) return { items: [], total: 0 };
    const query = this.dataSource.getRepository(IncidentEntity).createQueryBuilder('i');
    const systems = filter.systemId ? [filter.systemId] : null;
    if (systems || filter.visibleSystemIds) {
      const sub = this.dataSource.getRepository(IncidentSystemEntity).createQueryBuilder('s').select('s.incidentId');
      if (systems) sub.andWhere('s.systemId IN (:...systems)');
      if (filter.visibleSystemIds) sub.andWhere('s.systemId IN (:...visible)');
      query.andWhere(`i.id IN (${sub.getQuery()})`, { systems, visible: filter.visibleSystemIds });
    }
    if (filter.status) query.andWhere('i.status = :status', { status: filter.status });
    const [items, total] = await query
      .orderBy('i.becameAwareAt', 'DESC')
      .addOrderBy('i.id', 'ASC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * Incidents touching one of `systemIds`, recorded by `recordedBy`, whose becameAwareAt or detectedAt falls in
   * [from, to] (from null: no lower bound). ISO strings in UTC compare in time order.
   */
  async findForSystemsInWindow(
    systemIds: string[],
    from: string | null,
    to: string,
    recordedBy: string,
  ): Promise<IncidentEntity[]> {
    if (systemIds.length === 0) return [];
    const sub = this.dataSource
      .getRepository(IncidentSystemEntity)
      .createQueryBuilder('s')
      .select('s.incidentId')
      .where('s.systemId IN (:...systemIds)');
    const query = this.dataSource
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .where(`i.id IN (${sub.getQuery()})`, { systemIds })
      .andWhere('i.createdAt <= :recordedBy', { recordedBy })
      .andWhere(
        from === null
          ? '(i.becameAwareAt <= :to OR i.detectedAt <= :to)'
          : '((i.becameAwareAt >= :from AND i.becameAwareAt <= :to) OR (i.detectedAt >= :from AND i.detectedAt <= :to))',
        { from, to },
      );
    return query.orderBy('i.becameAwareAt', 'ASC').addOrderBy('i.id', 'ASC').getMany();
  }

  async findSystemIds(incidentIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (incidentIds.length === 0) return out;
    const rows = await this.dataSource
      .getRepository(IncidentSystemEntity)
      .find({ where: { incidentId: In(incidentIds) }, order: { systemId: 'ASC' } });
    for (const row of rows) appendTo(out, row.incidentId, row.systemId);
    return out;
  }

  async findEvidenceIds(incidentId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(IncidentEvidenceEntity)
      .find({ where: { incidentId }, order: { evidenceId: 'ASC' } });
    return rows.map((r) => r.evidenceId);
  }

  findObligations(incidentIds: string[], tx?: Tx): Promise<IncidentObligationEntity[]> {
    if (incidentIds.length === 0) return Promise.resolve([]);
    return (tx ?? this.dataSource.manager)
      .getRepository(IncidentObligationEntity)
      .find({ where: { incidentId: In(incidentIds) }, order: { createdAt: 'ASC', key: 'ASC' } });
  }

  findNotifications(incidentIds: string[]): Promise<IncidentNotificationEntity[]> {
    if (incidentIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(IncidentNotificationEntity)
      .find({ where: { incidentId: In(incidentIds) }, order: { sentAt: 'ASC', id: 'ASC' } });
  }

  /** In time order; the events of one write share their instant and keep the order a write makes them in. */
  async findEvents(incidentId: string): Promise<IncidentEventEntity[]> {
    const events = await this.dataSource
      .getRepository(IncidentEventEntity)
      .find({ where: { incidentId }, order: { at: 'ASC', id: 'ASC' } });
    return events.sort((a, b) => a.at.localeCompare(b.at) || EVENT_ORDER.indexOf(a.kind) - EVENT_ORDER.indexOf(b.kind));
  }

  async insert(tx: Tx, incident: IncidentEntity, systemIds: string[], evidenceIds: string[]): Promise<void> {
    await tx.getRepository(IncidentEntity).insert(incident);
    await tx
      .getRepository(IncidentSystemEntity)
      .insert(systemIds.map((systemId) => ({ incidentId: incident.id, systemId })));
    if (evidenceIds.length)
      await tx
        .getRepository(IncidentEvidenceEntity)
        .insert(evidenceIds.map((evidenceId) => ({ incidentId: incident.id, evidenceId })));
  }

  /**
   * Changes an incident decided on at `revision` while it held `status` (and moves it to `to` when given): 409 when
   * another write landed meanwhile, so two edits decided on one read cannot both win.
   */
  async update(tx: Tx, current: IncidentEntity, changes: Partial<IncidentEntity>, to?: IncidentStatus): Promise<void> {
    const next = { ...changes, revision: current.revision + 1 };
    const moved = to
      ? await INCIDENT_STATUS.tryMove(tx, current.id, current.status, to, next, { revision: current.revision })
      : await compareAndSet(
          tx,
          IncidentEntity,
          { id: current.id, status: current.status, revision: current.revision },
          next,
        );
    if (!moved)
      throw conflict(
        'The incident changed meanwhile; reload it and try again',
        { revision: current.revision },
        'conflict_status_changed',
      );
  }

  async replaceSystems(tx: Tx, incidentId: string, systemIds: string[]): Promise<void> {
    await tx.getRepository(IncidentSystemEntity).delete({ incidentId });
    await tx.getRepository(IncidentSystemEntity).insert(systemIds.map((systemId) => ({ incidentId, systemId })));
  }

  async replaceEvidence(tx: Tx, incidentId: string, evidenceIds: string[]): Promise<void> {
    await tx.getRepository(IncidentEvidenceEntity).delete({ incidentId });
    if (evidenceIds.length)
      await tx
        .getRepository(IncidentEvidenceEntity)
        .insert(evidenceIds.map((evidenceId) => ({ incidentId, evidenceId })));
  }

  async saveObligations(
    tx: Tx,
    inserts: IncidentObligationEntity[],
    updates: IncidentObligationEntity[],
  ): Promise<void> {
    if (inserts.length) await tx.getRepository(IncidentObligationEntity).insert(inserts);
    for (const o of updates) {
      const { id, incidentId: _incident, key: _key, createdAt: _created, ...changes } = o;
      await tx.getRepository(IncidentObligationEntity).update({ id }, changes);
    }
  }

  async insertNotification(tx: Tx, notification: IncidentNotificationEntity): Promise<void> {
    await tx.getRepository(IncidentNotificationEntity).insert(notification);
  }

  async insertEvents(tx: Tx, events: IncidentEventEntity[]): Promise<void> {
    if (events.length) await tx.getRepository(IncidentEventEntity).insert(events);
  }
}

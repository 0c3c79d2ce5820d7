import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import {
  IncidentEntity,
  IncidentNotificationEntity,
  IncidentObligationEntity,
  IncidentSystemEntity,
} from './entities/incident.entity';

export interface DueObligation {
  obligation: IncidentObligationEntity;
  incident: { title: string; systemId: string | null };
}

/** Reads of the incident register for the obligation-due sweep; it writes only events. */
@Injectable()
export class ObligationDueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Required obligations of incidents not closed, due before `horizon`, with no notification recorded and no
   * obligation.due event yet for their current due time.
   */
  async findComingDue(horizon: string): Promise<DueObligation[]> {
    const rows = await this.dataSource
      .getRepository(IncidentObligationEntity)
      .createQueryBuilder('o')
      .innerJoin(IncidentEntity, 'i', 'i.id = o.incidentId')
      .where('o.required = :required', { required: true })
      .andWhere('o.dueAt IS NOT NULL AND o.dueAt <= :horizon', { horizon })
      .andWhere('i.status <> :closed', { closed: 'closed' })
      .andWhere(`NOT EXISTS (SELECT 1 FROM ${this.table(IncidentNotificationEntity)} n WHERE n."obligationId" = o.id)`)
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM domain_events e WHERE e."dedupeKey" = 'obligation.due:' || o.id || ':' || o."dueAt")`,
      )
      .orderBy('o.dueAt', 'ASC')
      .getMany();
    if (rows.length === 0) return [];
    const incidentIds = [...new Set(rows.map((o) => o.incidentId))];
    const [incidents, systems] = await Promise.all([
      this.dataSource.getRepository(IncidentEntity).findBy({ id: In(incidentIds) }),
      this.dataSource
        .getRepository(IncidentSystemEntity)
        .createQueryBuilder('s')
        .where('s.incidentId IN (:...incidentIds)', { incidentIds })
        .getMany(),
    ]);
    const titleOf = new Map(incidents.map((i) => [i.id, i.title]));
    const systemOf = new Map<string, string>();
    for (const s of systems) if (!systemOf.has(s.incidentId)) systemOf.set(s.incidentId, s.systemId);
    return rows.map((obligation) => ({
      obligation,
      incident: {
        title: titleOf.get(obligation.incidentId) ?? obligation.incidentId,
        systemId: systemOf.get(obligation.incidentId) ?? null,
      },
    }));
  }

  private table(entity: typeof IncidentNotificationEntity): string {
    return `"${this.dataSource.getMetadata(entity).tableName}"`;
  }
}

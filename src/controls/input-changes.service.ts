import { Injectable } from '@nestjs/common';
import { appendTo } from '../common/multimap';
import { InputChanges, payloadSystemId, reachOf, type LookupTable } from './input-changes';
import { InputChangesRepository } from './input-changes.repository';

const PAGE = 5000;

/**
 * Which systems' inputs changed after a seq, from the audit log. Consumers keep, per system, the head seq read
 * before the inputs they judged: a system unchanged since then is judged the same now (until its recheck instant).
 */
@Injectable()
export class InputChangesService {
  constructor(private readonly repository: InputChangesRepository) {}

  /** Read before the inputs: a change that lands after the head is read shows as changed next time. */
  async since(afterSeq: number | null): Promise<InputChanges> {
    const head = await this.repository.findHeadSeq();
    let everything = 0;
    const bySystem = new Map<string, number>();
    const touch = (systemId: string, seq: number) => bySystem.set(systemId, Math.max(bySystem.get(systemId) ?? 0, seq));
    let from = afterSeq ?? head;
    while (from < head) {
      const entries = await this.repository.findEntriesBetween(from, head, PAGE);
      if (entries.length === 0) break;
      const lookups = new Map<LookupTable, Array<{ id: string; seq: number; payload: string }>>();
      for (const entry of entries) {
        const reach = reachOf(entry);
        if (reach.kind === 'system') touch(entry.entityId, entry.seq);
        else if (reach.kind === 'all') everything = Math.max(everything, entry.seq);
        else if (reach.kind === 'lookup')
          appendTo(lookups, reach.table, { id: entry.entityId, seq: entry.seq, payload: entry.payload });
      }
      for (const [table, list] of lookups) {
        const systems = await this.repository.findSystemIds(
          table,
          list.map((l) => l.id),
        );
        for (const { id, seq, payload } of list) {
          const systemId = systems.get(id) ?? payloadSystemId(payload);
          // A row gone and a payload that names no system: any system may have changed.
          if (systemId) touch(systemId, seq);
          else everything = Math.max(everything, seq);
        }
      }
      from = entries[entries.length - 1].seq;
    }
    return new InputChanges(head, everything, bySystem);
  }

  validUntilBySystems(systemIds: string[]): Promise<Map<string, string[]>> {
    return this.repository.findValidUntilBySystems(systemIds);
  }
}

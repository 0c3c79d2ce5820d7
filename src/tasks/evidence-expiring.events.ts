import { Injectable } from '@nestjs/common';
import { ControlImplementationsQueries } from '../controls/control-implementations.queries';
import { Tx } from '../database/transaction-runner';
import { evidenceExpiring } from '../events/domain-events';
import { EventsService } from '../events/events.service';
import { EvidenceQueries } from '../evidence/evidence.queries';

/**
 * The evidence.expiring events of the sweep's refresh tasks, told to the uploader and the named owners of the controls
 * the evidence supports. Here rather than in events, which would otherwise have to read evidence and controls while
 * both import it to record their own events.
 */
@Injectable()
export class EvidenceExpiringEvents {
  constructor(
    private readonly evidence: EvidenceQueries,
    private readonly implementations: ControlImplementationsQueries,
    private readonly events: EventsService,
  ) {}

  /**
   * Each refresh task for evidence that expires soon (openSourceKey `evidence:<id>`, the evidence has a validUntil)
   * records an evidence.expiring event, once per evidence and expiry date; stale evidence without an expiry is not
   * "expiring" and records none. Returns how many were recorded.
   */
  async record(
    tx: Tx,
    tasks: { id: string; kind: string; openSourceKey: string | null }[],
    actor: string,
  ): Promise<number> {
    const taskOf = new Map<string, string>();
    for (const t of tasks)
      if (t.kind === 'evidence_request' && t.openSourceKey?.startsWith('evidence:'))
        taskOf.set(t.openSourceKey.slice('evidence:'.length), t.id);
    const found = await this.evidence.findWithControlCodes([...taskOf.keys()], tx);
    const ownerOf = new Map<string, string | null>();
    for (const systemId of new Set(found.map(({ evidence }) => evidence.systemId)))
      for (const i of await this.implementations.findBySystem(systemId, tx))
        ownerOf.set(`${systemId}:${i.controlCode}`, i.ownerUserId);
    let recorded = 0;
    for (const { evidence, controlCodes } of found) {
      if (!evidence.validUntil) continue;
      const ownerUserIds = controlCodes.flatMap((code) => {
        const owner = ownerOf.get(`${evidence.systemId}:${code}`);
        return owner ? [owner] : [];
      });
      if (await this.events.record(tx, evidenceExpiring(evidence, taskOf.get(evidence.id)!, ownerUserIds, actor)))
        recorded++;
    }
    return recorded;
  }
}

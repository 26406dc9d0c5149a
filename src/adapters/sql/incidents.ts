import crypto from 'node:crypto';
import type { Incident, IncidentKind, Incidents } from '../../ports/incidents';
import type { SqlDatabase } from './database';

/** The service desk's incidents, shared by every worker. */
export class SqlIncidents implements Incidents {
  constructor(
    private readonly sql: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async raise(incident: {
    key: string;
    accountId: string;
    kind: IncidentKind;
    summary: string;
  }): Promise<string> {
    const { db } = this.sql;
    await db
      .insertInto('incidents')
      .values({
        id: `INC-${crypto.randomUUID().slice(0, 8).toUpperCase()}`,
        key: incident.key,
        account_id: incident.accountId,
        kind: incident.kind,
        summary: incident.summary,
        status: 'Open',
        raised_at: this.clock().toISOString(),
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await db
      .selectFrom('incidents')
      .select('id')
      .where('key', '=', incident.key)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async update(
    id: string,
    change: { noteKey: string; note: string; status: Incident['status'] },
  ): Promise<void> {
    await this.sql.transaction(async (db) => {
      await db
        .insertInto('incident_notes')
        .values((eb) => ({
          incident_id: id,
          note_key: change.noteKey,
          note: change.note,
          // PostgreSQL numbers the notes by a sequence; SQLite counts those before.
          ...(this.sql.dialect === 'sqlite'
            ? {
                seq: eb
                  .selectFrom('incident_notes')
                  .select(eb.fn.countAll<number>().as('n'))
                  .where('incident_id', '=', id),
              }
            : {}),
        }))
        .onConflict((oc) => oc.columns(['incident_id', 'note_key']).doNothing())
        .execute();
      await db.updateTable('incidents').set({ status: change.status }).where('id', '=', id).execute();
    });
  }

  async list(accountId: string): Promise<Incident[]> {
    const { db } = this.sql;
    const incidents = await db
      .selectFrom('incidents')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('raised_at')
      .orderBy('id')
      .execute();
    const notes = incidents.length
      ? await db
          .selectFrom('incident_notes')
          .select(['incident_id', 'note'])
          .where(
            'incident_id',
            'in',
            incidents.map((i) => i.id),
          )
          .orderBy('seq')
          .execute()
      : [];
    return incidents.map((r) => ({
      id: r.id,
      key: r.key,
      accountId: r.account_id,
      kind: r.kind,
      summary: r.summary,
      status: r.status,
      notes: notes.filter((n) => n.incident_id === r.id).map((n) => n.note),
      raisedAt: r.raised_at,
    }));
  }
}

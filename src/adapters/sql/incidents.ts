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
    const { key, accountId, kind, summary } = incident;
    const id = `INC-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const row = { id, key, account_id: accountId, kind, summary, status: 'Open' as const };
    const { db } = this.sql;
    const raised = db.insertInto('incidents').values({ ...row, raised_at: this.clock().toISOString() });
    await raised.onConflict((oc) => oc.column('key').doNothing()).execute();
    return (await db.selectFrom('incidents').select('id').where('key', '=', key).executeTakeFirstOrThrow())
      .id;
  }

  async update(
    id: string,
    change: { noteKey: string; note: string; status: Incident['status'] },
  ): Promise<void> {
    const note = { incident_id: id, note_key: change.noteKey, note: change.note };
    await this.sql.transaction(async (db) => {
      // PostgreSQL numbers the notes by a sequence; SQLite counts those before.
      const before = db.selectFrom('incident_notes').where('incident_id', '=', id);
      const seq = before.select((eb) => eb.fn.countAll<number>().as('n'));
      const noted = db
        .insertInto('incident_notes')
        .values(this.sql.dialect === 'sqlite' ? { ...note, seq } : note);
      await noted.onConflict((oc) => oc.columns(['incident_id', 'note_key']).doNothing()).execute();
      await db.updateTable('incidents').set({ status: change.status }).where('id', '=', id).execute();
    });
  }

  async list(accountId: string): Promise<Incident[]> {
    const { db } = this.sql;
    const raised = db.selectFrom('incidents').selectAll().where('account_id', '=', accountId);
    const incidents = await raised.orderBy('raised_at').orderBy('id').execute();
    const ids = incidents.length ? incidents.map((i) => i.id) : [''];
    const notes = await db
      .selectFrom('incident_notes')
      .selectAll()
      .where('incident_id', 'in', ids)
      .orderBy('seq')
      .execute();
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

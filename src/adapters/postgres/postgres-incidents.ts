import crypto from 'node:crypto';
import type { Incident, IncidentKind, Incidents } from '../../ports/incidents';
import { inTransaction, type Pool } from './database';

/** The service desk's incidents in PostgreSQL, shared by every worker. */
export class PostgresIncidents implements Incidents {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async raise(incident: {
    key: string;
    accountId: string;
    kind: IncidentKind;
    summary: string;
  }): Promise<string> {
    const id = `INC-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    await this.pool.query(
      `INSERT INTO incidents (id, key, account_id, kind, summary, status, raised_at)
       VALUES ($1, $2, $3, $4, $5, 'Open', $6) ON CONFLICT (key) DO NOTHING`,
      [id, incident.key, incident.accountId, incident.kind, incident.summary, this.clock()],
    );
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM incidents WHERE key = $1', [
      incident.key,
    ]);
    return rows[0]!.id;
  }

  async update(
    id: string,
    change: { noteKey: string; note: string; status: Incident['status'] },
  ): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO incident_notes (incident_id, note_key, note) VALUES ($1, $2, $3)
         ON CONFLICT (incident_id, note_key) DO NOTHING`,
        [id, change.noteKey, change.note],
      );
      await db.query('UPDATE incidents SET status = $1 WHERE id = $2', [change.status, id]);
    });
  }

  async list(accountId: string): Promise<Incident[]> {
    const { rows } = await this.pool.query<{
      id: string;
      key: string;
      account_id: string;
      kind: IncidentKind;
      summary: string;
      status: Incident['status'];
      raised_at: Date;
      notes: string[];
    }>(
      `SELECT i.*, COALESCE(
         (SELECT array_agg(n.note ORDER BY n.seq) FROM incident_notes n WHERE n.incident_id = i.id), '{}'
       ) AS notes
       FROM incidents i WHERE i.account_id = $1 ORDER BY i.raised_at, i.id`,
      [accountId],
    );
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      accountId: r.account_id,
      kind: r.kind,
      summary: r.summary,
      status: r.status,
      notes: r.notes,
      raisedAt: r.raised_at.toISOString(),
    }));
  }
}

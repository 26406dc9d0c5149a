import crypto from 'node:crypto';
import type { Incident, IncidentKind, Incidents } from '../../ports/incidents';
import type { Db } from './database';

/** Incidents for the embedded run, in SQLite. */
export class SqliteIncidents implements Incidents {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async raise(incident: {
    key: string;
    accountId: string;
    kind: IncidentKind;
    summary: string;
  }): Promise<string> {
    const id = `INC-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    this.db
      .prepare(
        `INSERT INTO incidents (id, key, account_id, kind, summary, status, raised_at)
         VALUES (?, ?, ?, ?, ?, 'Open', ?) ON CONFLICT (key) DO NOTHING`,
      )
      .run(id, incident.key, incident.accountId, incident.kind, incident.summary, this.clock().toISOString());
    return (this.db.prepare('SELECT id FROM incidents WHERE key = ?').get(incident.key) as { id: string }).id;
  }

  async update(
    id: string,
    change: { noteKey: string; note: string; status: Incident['status'] },
  ): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT OR IGNORE INTO incident_notes (incident_id, note_key, note, seq)
           VALUES (?, ?, ?, (SELECT COUNT(*) FROM incident_notes WHERE incident_id = ?))`,
        )
        .run(id, change.noteKey, change.note, id);
      this.db.prepare('UPDATE incidents SET status = ? WHERE id = ?').run(change.status, id);
    })();
  }

  async list(accountId: string): Promise<Incident[]> {
    const rows = this.db
      .prepare('SELECT * FROM incidents WHERE account_id = ? ORDER BY raised_at')
      .all(accountId) as {
      id: string;
      key: string;
      account_id: string;
      kind: IncidentKind;
      summary: string;
      status: Incident['status'];
      raised_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      accountId: r.account_id,
      kind: r.kind,
      summary: r.summary,
      status: r.status,
      raisedAt: r.raised_at,
      notes: (
        this.db.prepare('SELECT note FROM incident_notes WHERE incident_id = ? ORDER BY seq').all(r.id) as {
          note: string;
        }[]
      ).map((n) => n.note),
    }));
  }
}

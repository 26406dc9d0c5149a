export type IncidentKind = 'ProvisioningOverdue' | 'ProvisioningRefused' | 'SyncOverdue' | 'ResecureOverdue';

export interface Incident {
  id: string;
  key: string;
  accountId: string;
  kind: IncidentKind;
  summary: string;
  status: 'Open' | 'Resolved';
  notes: string[];
  raisedAt: string;
}

/** The service desk's incidents, behind an interface a real backend can implement. */
export interface Incidents {
  /** Raises an incident once per key; a repeat returns the first one's id. */
  raise(incident: { key: string; accountId: string; kind: IncidentKind; summary: string }): Promise<string>;
  /** Adds a note once per noteKey, and sets the status. */
  update(id: string, change: { noteKey: string; note: string; status: Incident['status'] }): Promise<void>;
  list(accountId: string): Promise<Incident[]>;
}

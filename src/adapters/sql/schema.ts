import type { ColumnType, Generated } from 'kysely';
import type { AccountStatus } from '../../domain/account';
import type { BulkRowState, BulkUploadStatus } from '../../ports/bulk-uploads';
import type { Incident, IncidentKind } from '../../ports/incidents';

/** Epoch milliseconds: INTEGER in SQLite, bigint in PostgreSQL (read as a number). */
type Epoch = number;
/** A time as ISO 8601 text: TEXT in SQLite, timestamptz in PostgreSQL (read back as ISO text). */
type Time = string;
/** JSON as text: TEXT in SQLite, json or jsonb in PostgreSQL (read back as text). */
type Json = string;

/** The tables of the engine's store, as both databases hold them (the types as read: postgres.ts). */
export interface Database {
  schema_migrations: { version: number; name: string; applied_at: Time };
  directory_addresses: { address: string; account_id: string; allocated_at: Time };
  directory_entries: {
    id: string;
    email: string;
    name_key: string;
    mobile: string | null;
    organisation_code: string;
    status: AccountStatus;
    /** PostgreSQL only: the clinical role codes, for a role filter (SQLite reads them from `data`). */
    roles: ColumnType<string[], string[] | undefined, string[] | undefined>;
    search_text: string;
    data: Json;
  };
  directory_pending_starts: { account_id: string; start: Json; reserved_at: Time };
  incidents: {
    id: string;
    key: string;
    account_id: string;
    kind: IncidentKind;
    summary: string;
    status: Incident['status'];
    raised_at: Time;
  };
  /** `seq`: a sequence in PostgreSQL; in SQLite, the number of the incident's notes before it. */
  incident_notes: {
    incident_id: string;
    note_key: string;
    note: string;
    seq: ColumnType<number, number | undefined>;
  };
  api_idempotency_keys: {
    principal_id: string;
    key: string;
    request_hash: string;
    claim_id: string;
    status: number | null;
    body: string | null;
    created_at: Epoch;
  };
  platform_accounts: {
    id: string;
    email: string;
    display_name: string;
    organisation_code: string;
    password_hash: string;
    requested_at: Epoch;
    /** 1 or 0 (PostgreSQL's boolean is read as one). */
    enabled: Generated<number>;
    disabled_reason: string | null;
    sync_started_at: Epoch | null;
    deleted_at: Epoch | null;
    last_sign_in_at: Epoch | null;
  };
  platform_group_members: { group_name: string; account_id: string; added_at: Epoch };
  platform_policies: { account_id: string; policy: string };
  platform_notifications: { key: string; account_id: string; message: string; sent_at: Epoch };
  platform_operations: {
    seq: Generated<number>;
    at: Epoch;
    account_id: string;
    operation: string;
    detail: string | null;
  };
  bulk_uploads: {
    id: string;
    organisation: string;
    uploaded_by: Json;
    rows: number;
    status: BulkUploadStatus;
    created_at: Time;
    finished_at: Time | null;
  };
  bulk_rows: {
    upload_id: string;
    line: number;
    fields: Json;
    body: Json | null;
    row_key: string | null;
    errors: Json;
    state: BulkRowState;
    result: string | null;
    account_id: string | null;
    sealed_password: string | null;
  };
  portal_sessions: {
    id_hash: string;
    principal_id: string;
    signed_in_at: Epoch;
    last_seen_at: Epoch;
    revoked_at: Epoch | null;
  };
}

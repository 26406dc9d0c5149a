import crypto from 'node:crypto';

/** A file Validate read, kept for the Create that follows without choosing it again. */
export interface ValidatedFile {
  name: string;
  file: Buffer;
}

interface Held extends ValidatedFile {
  owner: string;
  expiresAt: number;
}

export interface ValidatedFileLimits {
  /** How long a validated file is kept for its Create. */
  keepMs: number;
  /** How many bytes of validated files the process holds at most; the oldest go first. */
  maxBytes: number;
}

export const VALIDATED_FILE_LIMITS: ValidatedFileLimits = {
  keepMs: 30 * 60 * 1000,
  maxBytes: 64 * 1024 * 1024,
};

/**
 * The files the Bulk upload page validated, in this process's memory, each under an unguessable id bound to
 * the portal session that validated it, for a short time. Create reads it again through the same checks
 * as a chosen file (formula safety, the organisation's rights, every line); a file not found here (expired,
 * another API process, a restart) is simply chosen again.
 */
export class ValidatedFiles {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly limits: ValidatedFileLimits = VALIDATED_FILE_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Keeps the file for its owner (a session); its id, for the Create form. */
  keep(owner: string, validated: ValidatedFile): string {
    this.expire();
    for (const [id, held] of this.held) if (held.owner === owner) this.held.delete(id);
    const id = crypto.randomBytes(24).toString('base64url');
    this.held.set(id, { ...validated, owner, expiresAt: this.clock() + this.limits.keepMs });
    this.fit();
    return id;
  }

  /** The owner's file under this id, if it is still kept; only its owner gets it. */
  find(owner: string, id: string): ValidatedFile | undefined {
    this.expire();
    const held = this.held.get(id);
    return held && held.owner === owner ? { name: held.name, file: held.file } : undefined;
  }

  /** Forgets the file once an upload was started from it. */
  forget(id: string): void {
    this.held.delete(id);
  }

  private expire(): void {
    const now = this.clock();
    for (const [id, held] of this.held) if (held.expiresAt <= now) this.held.delete(id);
  }

  /** Drops the oldest files until what is held fits (a Map keeps its order of insertion). */
  private fit(): void {
    let bytes = [...this.held.values()].reduce((sum, h) => sum + h.file.length, 0);
    for (const [id, held] of this.held) {
      if (bytes <= this.limits.maxBytes) break;
      this.held.delete(id);
      bytes -= held.file.length;
    }
  }
}

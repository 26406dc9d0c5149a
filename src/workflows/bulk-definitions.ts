import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BulkUploadStatus } from '../ports/bulk-uploads';

/** R31: an upload's progress, as its workflow counts it. */
export interface BulkProgress {
  uploadId: string;
  status: BulkUploadStatus;
  rows: number;
  created: number;
  /** Lines refused at validation and lines whose create failed (a duplicate, R12). */
  failed: number;
  remaining: number;
  startedAt: string;
  finishedAt: string | null;
}

export const getBulkUploadQuery = defineQuery<BulkProgress>('bulkProgress');
/** Stops creating lines; those already created stay created. */
export const cancelBulkUploadUpdate = defineUpdate<BulkProgress>('cancelBulkUpload');

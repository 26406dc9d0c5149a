import type { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { searchAttributes } from '../../temporal-config/search-attributes';

/**
 * Registers the project's search attributes on a server that does not have them yet (the test server,
 * or a self-hosted cluster). Temporal Cloud registers them through its own tools; there this fails and
 * the caller decides whether that matters.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
  const wanted = Object.fromEntries(
    searchAttributes.map((key) => {
      const type = `INDEXED_VALUE_TYPE_${TypedSearchAttributes.toMetadataType(key.type)
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toUpperCase()}`;
      return [key.name, IndexedValueType[type as keyof typeof IndexedValueType]];
    }),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: wanted });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
}

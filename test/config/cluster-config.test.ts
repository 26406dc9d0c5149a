import assert from 'node:assert/strict';
import { loadClusterConfig, servicePorts } from '../../temporal-config/cluster';

describe('npm run cluster: its settings (issue 26)', () => {
  it('Operations: defaults to the frontend on 7233, its own PostgreSQL on 5433, 4 history shards, 3 days of retention, data in data-cluster', () => {
    const config = loadClusterConfig({});
    assert.equal(config.frontendPort, 7233);
    assert.equal(config.postgresPort, 5433);
    assert.equal(config.historyShards, 4);
    assert.equal(config.retentionMs, 3 * 86_400_000);
    assert.match(config.dir, /\/data-cluster$/);
    assert.equal(config.databaseUrl, undefined);
    assert.deepEqual(servicePorts(7233, 'frontend'), {
      grpc: 7233,
      membership: 7243,
      metrics: 7263,
      http: 7253,
    });
    assert.deepEqual(servicePorts(7233, 'worker'), { grpc: 7236, membership: 7246, metrics: 7266 });
  });

  it('Operations: each bad setting is named: a retention under a day, a port out of range, shards not a number', () => {
    assert.throws(
      () => loadClusterConfig({ TEMPORAL_CLUSTER_RETENTION: '12h' }),
      /TEMPORAL_CLUSTER_RETENTION: .*at least 1d/,
    );
    assert.throws(() => loadClusterConfig({ TEMPORAL_CLUSTER_PORT: '70000' }), /TEMPORAL_CLUSTER_PORT/);
    assert.throws(
      () => loadClusterConfig({ TEMPORAL_CLUSTER_HISTORY_SHARDS: 'many' }),
      /TEMPORAL_CLUSTER_HISTORY_SHARDS/,
    );
  });

  it('Security: TEMPORAL_DATABASE_URL, which holds a password, is never repeated in the error that refuses it', () => {
    const url = 'postgresql://temporal:s3cret-pw@db.example:5432/temporal';
    assert.throws(
      () => loadClusterConfig({ TEMPORAL_DATABASE_URL: url }),
      (err: Error) =>
        /TEMPORAL_DATABASE_URL must be postgresql:\/\/user:password@host:port/.test(err.message) &&
        !err.message.includes('s3cret-pw'),
    );
    assert.equal(
      loadClusterConfig({ TEMPORAL_DATABASE_URL: 'postgresql://temporal:pw@db.example:5432' }).databaseUrl,
      'postgresql://temporal:pw@db.example:5432',
    );
  });
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ownerOnlyFolder } from '../owner-only-folder';

/** Encryption keys by id; new data is encrypted with the active one, old data read with whichever it names. */
export interface KeyRing {
  activeKeyId: string;
  keys: Map<string, Buffer>;
}

/**
 * ENCRYPTION_KEYS="id1:<base64 32 bytes>,id2:<base64 32 bytes>" and ENCRYPTION_ACTIVE_KEY_ID (default: the
 * last listed). Without them, a development key is read from, or created in, `<dataDir>/dev-encryption-key.json`
 * with owner-only permissions.
 */
export function loadKeyRing(env: NodeJS.ProcessEnv, dataDir: string): KeyRing {
  const listed = env.ENCRYPTION_KEYS?.trim();
  if (listed) {
    const keys = new Map<string, Buffer>();
    const items = listed.split(',');
    items.forEach((item, i) => {
      const [id, material] = item.trim().split(':');
      const key = Buffer.from(material ?? '', 'base64');
      // Security 9: an item is named by its position, never quoted: one without its id is all key.
      if (!id || key.length !== 32) {
        throw new Error(
          `ENCRYPTION_KEYS: item ${i + 1} of ${items.length} must be <id>:<base64 of 32 bytes> (the item is not shown, as it may be a key)`,
        );
      }
      keys.set(id, key);
    });
    const activeKeyId = env.ENCRYPTION_ACTIVE_KEY_ID ?? [...keys.keys()].pop()!;
    if (!keys.has(activeKeyId))
      throw new Error(`ENCRYPTION_ACTIVE_KEY_ID=${activeKeyId} is not in ENCRYPTION_KEYS`);
    return { activeKeyId, keys };
  }
  return developmentKeyRing(path.join(dataDir, 'dev-encryption-key.json'));
}

function developmentKeyRing(file: string): KeyRing {
  if (!fs.existsSync(file)) {
    ownerOnlyFolder(path.dirname(file));
    const key = {
      id: `dev-${crypto.randomBytes(4).toString('hex')}`,
      key: crypto.randomBytes(32).toString('base64'),
    };
    try {
      fs.writeFileSync(file, JSON.stringify(key) + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const { id, key } = JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; key: string };
  return { activeKeyId: id, keys: new Map([[id, Buffer.from(key, 'base64')]]) };
}

/** A key for one purpose, derived from a ring key, so one configured key never serves two uses directly. */
export function derivedKey(ring: KeyRing, keyId: string, purpose: string): Buffer {
  const master = ring.keys.get(keyId);
  if (!master) throw new Error(`Unknown encryption key id "${keyId}"`);
  return Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), purpose, 32));
}

/** The keys of one purpose, each derived once from its ring key, when first used. */
export function purposeKeys(ring: KeyRing, purpose: string): (keyId: string) => Buffer {
  const derived = new Map<string, Buffer>();
  return (keyId) => {
    let key = derived.get(keyId);
    if (!key) {
      key = derivedKey(ring, keyId, purpose);
      derived.set(keyId, key);
    }
    return key;
  };
}

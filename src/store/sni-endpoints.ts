import type { SniEndpoint } from '../domain/index.js';
import { isUuid } from '../shared/ids.js';
import type { SecretBox } from './secret-box.js';
import { str, type Db, type Row } from './sql.js';

/** SNI endpoints; the private key is sealed with the secret box on the way in and opened on the way out. */
export function createSniEndpointStore(db: Db, secrets: SecretBox) {
  const toEndpoint = (r: Row): SniEndpoint => ({
    id: str(r.id),
    appId: str(r.app_id),
    name: str(r.name),
    certificateChain: str(r.certificate_chain),
    privateKey: secrets.open(r.private_key as Buffer),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  });
  return {
    insert(e: SniEndpoint): void {
      db.prepare(
        'INSERT INTO sni_endpoints (id, app_id, name, certificate_chain, private_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(e.id, e.appId, e.name, e.certificateChain, secrets.seal(e.privateKey), e.createdAt, e.updatedAt);
    },
    update(id: string, patch: Pick<SniEndpoint, 'certificateChain' | 'privateKey' | 'updatedAt'>): void {
      db.prepare('UPDATE sni_endpoints SET certificate_chain = ?, private_key = ?, updated_at = ? WHERE id = ?')
        .run(patch.certificateChain, secrets.seal(patch.privateKey), patch.updatedAt, id);
    },
    list(appId: string): SniEndpoint[] {
      return (db.prepare('SELECT * FROM sni_endpoints WHERE app_id = ? ORDER BY created_at, name').all(appId) as Row[]).map(toEndpoint);
    },
    listAll(): SniEndpoint[] {
      return (db.prepare('SELECT * FROM sni_endpoints ORDER BY created_at, name').all() as Row[]).map(toEndpoint);
    },
    find(appId: string, idOrName: string): SniEndpoint | undefined {
      const col = isUuid(idOrName) ? 'id' : 'name';
      const r = db.prepare(`SELECT * FROM sni_endpoints WHERE app_id = ? AND ${col} = ?`).get(appId, idOrName) as Row | undefined;
      return r && toEndpoint(r);
    },
    nameTaken(name: string): boolean {
      return db.prepare('SELECT 1 FROM sni_endpoints WHERE name = ?').get(name) !== undefined;
    },
    delete(id: string): void {
      db.prepare('DELETE FROM sni_endpoints WHERE id = ?').run(id);
    },
  };
}

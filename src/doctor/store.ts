// The state store named by town.yaml: when `store.url` points at PostgreSQL, the server answers
// (within the endpoint timeout) and its schema is at the version this gt knows. The SQLite file is
// the `database` check's; here it only says which store is in use. Messages name the server as
// host:port/database, never its password.
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { loadTownConfig, type TownConfig } from '../town/index.js';
import { storeLocationOf } from '../town/store-location.js';
import type { DoctorCheck, Finding } from './types.js';
import { errorMessage, fail, ok, warn } from './types.js';

export const storeCheck: DoctorCheck = {
  name: 'store',
  town: true,
  run: async (ctx) => {
    let config: TownConfig;
    try {
      config = await loadTownConfig(ctx.root!);
    } catch {
      return []; // the town-files check reports it
    }
    const location = storeLocationOf(ctx.root!, config);
    if (location.url === undefined)
      return [ok('store', `SQLite at ${location.file} (the database check looks inside it)`)];
    let store: Store;
    try {
      store = await openStore(location, {
        migrate: false,
        env: ctx.env,
        connectTimeoutMs: ctx.endpointTimeoutMs,
        max: 1,
      });
    } catch (error) {
      return [
        fail(
          'store',
          `PostgreSQL store unreachable: ${errorMessage(error)}`,
          'check store.url in town.yaml, that the server runs and accepts this machine, and that the password variable is set (docs/store.md)',
        ),
      ];
    }
    const findings: Finding[] = [ok('store', `PostgreSQL at ${store.where} answers`)];
    try {
      const { version, latest } = await store.schema();
      findings.push(
        version === latest
          ? ok('store:schema', `schema at version ${version} (latest)`)
          : version < latest
            ? warn(
                'store:schema',
                `schema at version ${version}, latest is ${latest}`,
                'run `gt store migrate`',
              )
            : fail(
                'store:schema',
                `schema at version ${version}, newer than this gt (${latest})`,
                'upgrade gt',
              ),
      );
    } catch (error) {
      findings.push(
        fail('store:schema', `cannot read the schema version: ${errorMessage(error)}`, 'see docs/store.md'),
      );
    } finally {
      await store.close();
    }
    return findings;
  },
};

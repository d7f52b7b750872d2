// `gt rig set | unset | show`: a rig's settings without editing rig.yaml by hand. A change is
// made to the YAML document (so comments and layout survive), validated with the very schema that
// reads rig.yaml, and only then written: an invalid value changes nothing and names the key.
// `check` is also held by the rigs row (the Witness reads it there), so both change in one transaction.
import { renameSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { parse, parseDocument } from 'yaml';
import type { Db } from '../db/open.js';
import { writeTx } from '../db/open.js';
import { invalidInput, notFound } from '../errors.js';
import { rigPaths } from './paths.js';
import type { RigConfig } from './rig-config.js';
import { rigConfigSchema } from './rig-config.js';
import type { RigRow } from './rig-store.js';
import { getRig } from './rig-store.js';
import { parseSettingValue } from './setting-value.js';
import { peel, schemaAt, schemaFields } from './schema-fields.js';
import { messageOf, parseWith } from './yaml-file.js';

/** Set once by `gt rig add`: changing them would orphan beads, worktrees or the mirror. */
export const fixedRigKeys: readonly string[] = ['name', 'git_url', 'branch', 'prefix'];

/** Records a settings change in the ledger, inside the transaction that makes it. */
export type RigSettingJournal = (kind: 'rig.updated', payload: Record<string, unknown>) => void;

export interface RigSettingChange {
  rig: string;
  key: string;
  /** The effective value before and after (defaults included). */
  from: unknown;
  to: unknown;
  config: RigConfig;
}

export interface RigSettingsView {
  rig: string;
  path: string;
  settings: RigConfig;
  /** Dotted keys whose value is the schema's default. */
  defaults: string[];
}

/** Sets `key` to `value` (parsed by the key's type), or removes it when `value` is undefined. */
export async function changeRigSetting(
  root: string,
  db: Db,
  rig: string,
  key: string,
  value: string | undefined,
  journal?: RigSettingJournal,
): Promise<RigSettingChange> {
  requireRig(db, rig);
  const file = rigPaths(root, rig).config;
  const path = settingPath(file, key);
  const doc = await readDocument(file);
  const before = rigConfigSchema.safeParse(doc.toJS() ?? {});
  const field = schemaAt(rigConfigSchema, key) ?? rigConfigSchema;
  if (value === undefined) {
    const peeled = peel(field);
    if (!peeled.optional && peeled.defaultValue === undefined)
      throw invalidInput(`${file}: ${key} is required and has no default to go back to`, { key });
    doc.deleteIn(path);
  } else {
    doc.setIn(path, parseSettingValue(field, file, key, value));
  }
  const text = doc.toString();
  const config = parseWith(rigConfigSchema, parse(text) ?? {}, `${key} for ${file}`);
  const change: RigSettingChange = {
    rig,
    key,
    from: before.success ? valueAt(before.data, path) : undefined,
    to: valueAt(config, path),
    config,
  };
  await commit(db, file, text, change, journal);
  return change;
}

export async function rigSettings(root: string, db: Db, rig: string): Promise<RigSettingsView> {
  requireRig(db, rig);
  const file = rigPaths(root, rig).config;
  const doc = await readDocument(file);
  const settings = parseWith(rigConfigSchema, doc.toJS() ?? {}, file);
  const defaults = schemaFields(rigConfigSchema)
    .filter((f) => !f.group && f.defaultValue !== undefined)
    .filter((f) => isDeepStrictEqual(valueAt(settings, f.key.split('.')), f.defaultValue))
    .map((f) => f.key);
  return { rig, path: file, settings, defaults };
}

/** Every key `gt rig set` accepts. */
export function settableRigKeys(): string[] {
  return schemaFields(rigConfigSchema)
    .filter((f) => !f.group && !fixedRigKeys.includes(f.key))
    .map((f) => f.key);
}

function requireRig(db: Db, rig: string): RigRow {
  const row = getRig(db, rig);
  if (!row) throw notFound('rig', rig);
  return row;
}

function settingPath(file: string, key: string): string[] {
  if (fixedRigKeys.includes(key))
    throw invalidInput(
      `${file}: ${key} is fixed when the rig is added; remove the rig and add it again to change it`,
      { key },
    );
  if (!/^[a-z_]+(\.[a-z_]+)*$/.test(key) || schemaAt(rigConfigSchema, key) === undefined)
    throw invalidInput(`${file}: no setting named "${key}"; settings: ${settableRigKeys().join(', ')}`, {
      key,
    });
  return key.split('.');
}

async function readDocument(file: string): Promise<ReturnType<typeof parseDocument>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw invalidInput(`cannot read ${file}: ${messageOf(error)}`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw invalidInput(`${file} is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  return doc;
}

function valueAt(config: RigConfig, path: string[]): unknown {
  return path.reduce<unknown>(
    (value, part) =>
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined,
    config,
  );
}

/** The new file replaces the old by rename inside the transaction that updates the row and the ledger. */
async function commit(
  db: Db,
  file: string,
  text: string,
  change: RigSettingChange,
  journal: RigSettingJournal | undefined,
): Promise<void> {
  const staged = `${file}.${process.pid}.tmp`;
  await writeFile(staged, text);
  try {
    writeTx(db, () => {
      if (change.key === 'check')
        db.prepare('UPDATE rigs SET check_command = ? WHERE name = ?').run(change.config.check, change.rig);
      journal?.('rig.updated', {
        name: change.rig,
        setting: change.key,
        from: change.from ?? null,
        to: change.to ?? null,
      });
      renameSync(staged, file);
    });
  } finally {
    await rm(staged, { force: true });
  }
}

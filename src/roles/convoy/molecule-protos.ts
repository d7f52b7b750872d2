// Protos in a town: a formula (or a persisted proto bead) cooked with variables, and `cook
// --persist`, which keeps a proto as a template bead so `gt bd mol pour <id>` can pour it later
// with the variables it was cooked with plus any new ones.
import type { Bead } from '../../beads/index.js';
import { hqPrefix } from '../../beads/index.js';
import { notFound } from '../../errors.js';
import type { CookOptions, Proto } from '../../formulas/index.js';
import { cook, formulaLabel, loadFormula } from '../../formulas/index.js';
import { getRig } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import { townFormulaPath } from './formula-run.js';

export const protoLabel = 'template';

interface PersistedProto {
  formula: string;
  vars: Record<string, string>;
  preset?: string;
  legs?: string[];
}

/** Cooks `name`: a persisted proto bead's id, else a formula name on the town's path. */
export async function cookNamed(
  town: TownServices,
  root: string,
  name: string,
  options: CookOptions,
  rig?: string,
): Promise<Proto> {
  const bead = /^[a-z0-9]+-[a-z0-9]+$/.test(name) ? await town.beads.get(name) : undefined;
  const persisted = bead ? persistedOf(bead) : undefined;
  if (!persisted) return cook(loadFormula(townFormulaPath(root, rig), name), options);
  const formula = loadFormula(townFormulaPath(root, rig), persisted.formula);
  return cook(formula, {
    ...(persisted.preset === undefined ? {} : { preset: persisted.preset }),
    ...(persisted.legs === undefined ? {} : { legs: persisted.legs }),
    ...options,
    vars: { ...persisted.vars, ...options.vars },
  });
}

export async function persistProto(
  town: TownServices,
  proto: Proto,
  options: Omit<CookOptions, 'vars'>,
  actor: string,
  rig?: string,
): Promise<Bead> {
  let prefix = hqPrefix;
  if (rig !== undefined) {
    const row = getRig(town.db, rig);
    if (!row) throw notFound('rig', rig);
    prefix = row.prefix;
  }
  const persisted: PersistedProto = { formula: proto.formula, vars: proto.vars, ...options };
  return town.beads.create(
    {
      prefix,
      title: `Proto: ${proto.formula}`,
      description: `A cooked proto of formula ${proto.formula} (${proto.source}). Pour it with: gt bd mol pour <this id> --var …\n\n${JSON.stringify(proto, null, 2)}`,
      issue_type: 'epic',
      labels: [protoLabel, formulaLabel(proto.formula)],
      extra: { metadata: { gastown: { proto: persisted } } },
    },
    { actor },
  );
}

function persistedOf(bead: Bead): PersistedProto | undefined {
  const metadata = bead.extra.metadata;
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const gastown = (metadata as { gastown?: { proto?: PersistedProto } }).gastown;
  return gastown?.proto;
}

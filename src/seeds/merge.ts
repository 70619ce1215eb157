/**
 * Shard files and merging them. A shard file holds one shard's seed summaries under the
 * whole run's identity; `mergeShards` checks that the shards belong to one run and cover its
 * seeds exactly once, then judges the claims with the same function an unsharded run uses,
 * so the merged file equals the unsharded one byte for byte up to `provenance`.
 */
import { readFileSync } from "node:fs";
import { firstDifference } from "../golden/mod.ts";
import { seedsResultOf } from "./judge.ts";
import {
  type ClaimDefinition,
  IDENTITY_KEYS,
  SEEDS_FORMAT,
  type SeedsIdentity,
  type SeedsProvenance,
  type SeedsResult,
  type SeedsShard,
  seedsResultProblems,
  seedsShardProblems,
  SHARD_FORMAT,
  type SeedSummary,
} from "./seeds-schema.ts";
import { shardRange } from "./shard.ts";

/**
 * A shard file's object; `provenance` last.
 *
 * @example
 * const text = seedsText(seedsShardOf(run.identity, { index: 0, count: 2 }, run.definitions, run.perSeed, provenance));
 */
export function seedsShardOf(
  identity: SeedsIdentity,
  shard: { index: number; count: number },
  definitions: ClaimDefinition[],
  perSeed: SeedSummary[],
  provenance: SeedsProvenance,
): SeedsShard {
  return {
    format: SHARD_FORMAT,
    experiment: identity.experiment,
    profile: identity.profile,
    seeds: identity.seeds,
    rule: identity.rule,
    shard: { index: shard.index, count: shard.count },
    claims: definitions,
    perSeed,
    config: identity.config,
    data: identity.data,
    backend: identity.backend,
    code: identity.code,
    provenance,
  };
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads a multi-seed result file, validated; throws naming the file and its first problems.
 *
 * @example
 * readSeedsResult("e1-seeds.json").claims.map((c) => c.verdict);
 */
export function readSeedsResult(path: string): SeedsResult {
  const value = readJson(path);
  const format = (value as { format?: unknown } | null)?.format;
  if (format === SHARD_FORMAT) throw new Error(`${path}: a shard file, not a result: combine the shards with \`gradlab merge SHARD... --out FILE\``);
  const problems = seedsResultProblems(value);
  if (problems.length) throw new Error(`${path}: not a ${SEEDS_FORMAT} file:\n  ${problems.join("\n  ")}`);
  return value as SeedsResult;
}

/**
 * Reads a shard file, validated; throws naming the file and its first problems.
 *
 * @example
 * readShard("shards/0.json").shard; // { index: 0, count: 2 }
 */
export function readShard(path: string): SeedsShard {
  const value = readJson(path);
  const format = (value as { format?: unknown } | null)?.format;
  if (format === SEEDS_FORMAT) throw new Error(`${path}: already a merged (or unsharded) result, not a shard file`);
  const problems = seedsShardProblems(value);
  if (problems.length) throw new Error(`${path}: not a ${SHARD_FORMAT} file:\n  ${problems.join("\n  ")}`);
  return value as SeedsShard;
}

/** What each identity member means in a message. */
const IDENTITY_WORDS: Record<(typeof IDENTITY_KEYS)[number], string> = {
  experiment: "experiment",
  profile: "profile",
  seeds: "seed list",
  rule: "verdict rule",
  config: "config",
  data: "data",
  backend: "backend",
  code: "code commit",
};

/** A shard file and where it came from. */
export interface ShardFile {
  path: string;
  shard: SeedsShard;
}

/**
 * Merges shard files into the run's result. Refuses, naming the file: shards of another run
 * (experiment, profile, seed list, verdict rule, config, data, backend or code commit differ),
 * a different shard count, a shard given twice, a shard whose seeds are not its share,
 * and missing shards. `provenance` records each shard's own and the merge's command.
 *
 * @example
 * const merged = mergeShards(paths.map((path) => ({ path, shard: readShard(path) })), { command, generatedAt });
 */
export function mergeShards(files: ShardFile[], provenance: Pick<SeedsProvenance, "command" | "generatedAt" | "runtime" | "host">): SeedsResult {
  if (files.length === 0) throw new Error("merge: no shard files given");
  const [head, ...rest] = files;
  const ref = head!.shard;
  for (const { path, shard } of rest) {
    for (const key of IDENTITY_KEYS) {
      if (JSON.stringify(shard[key]) !== JSON.stringify(ref[key])) {
        throw new Error(`${path}: a shard of a different run than ${head!.path}: its ${IDENTITY_WORDS[key]} differs (${firstDifference(shard[key], ref[key], key) ?? key})`);
      }
    }
    if (JSON.stringify(shard.claims) !== JSON.stringify(ref.claims)) {
      throw new Error(`${path}: checks different claims than ${head!.path} (${firstDifference(shard.claims, ref.claims, "claims") ?? "claims"})`);
    }
    if (shard.shard.count !== ref.shard.count) {
      throw new Error(`${path}: shard ${shard.shard.index}/${shard.shard.count}, but ${head!.path} is one of ${ref.shard.count} shards`);
    }
  }
  const count = ref.shard.count;
  const byIndex = new Map<number, ShardFile>();
  for (const f of files) {
    const { index } = f.shard.shard;
    const other = byIndex.get(index);
    if (other) throw new Error(`${f.path}: shard ${index}/${count} given twice (also ${other.path})`);
    byIndex.set(index, f);
    const [start, end] = shardRange(ref.seeds.length, f.shard.shard);
    const want = ref.seeds.slice(start, end), got = f.shard.perSeed.map((s) => s.seed);
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      throw new Error(`${f.path}: shard ${index}/${count} should hold seeds [${want.join(", ")}], holds [${got.join(", ")}]`);
    }
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length) {
    const seedsOf = (i: number) => {
      const [s, e] = shardRange(ref.seeds.length, { index: i, count });
      return ref.seeds.slice(s, e).join(", ");
    };
    throw new Error(`merge: missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count} (seeds ${seedsOf(i)})`).join(", ")}; have ${files.map((f) => `${f.shard.shard.index} (${f.path})`).join(", ")}`);
  }
  const ordered = Array.from({ length: count }, (_, i) => byIndex.get(i)!);
  const perSeed = ordered.flatMap((f) => f.shard.perSeed);
  const identity = Object.fromEntries(IDENTITY_KEYS.map((k) => [k, ref[k]])) as SeedsIdentity;
  const shards = ordered.map(({ path, shard }) => {
    const { shards: _, ...own } = shard.provenance;
    return { ...own, file: path, shard: `${shard.shard.index}/${count}` };
  });
  return seedsResultOf(identity, ref.claims, perSeed, {
    ...provenance,
    elapsedSeconds: Math.round(shards.reduce((s, p) => s + p.elapsedSeconds, 0) * 10) / 10,
    dirty: shards.some((s) => s.dirty),
    seedSeconds: shards.flatMap((s) => s.seedSeconds ?? []),
    shards,
  });
}

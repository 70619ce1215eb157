/**
 * Shards: one run's seeds split across processes or machines. Shard I of N (0-based) takes a
 * contiguous block of the seed list, the blocks as even as they can be. The shard comes from
 * `--shard I/N`, else from the array-job variables of the engine that started the process:
 * a Kubernetes Indexed Job (JOB_COMPLETION_INDEX; the count in JOB_COMPLETIONS, which the
 * manifest sets, Kubernetes does not) or a Slurm job array (SLURM_ARRAY_TASK_ID and
 * SLURM_ARRAY_TASK_COUNT, the index taken from SLURM_ARRAY_TASK_MIN).
 */

/** Shard `index` of `count`, and where that was read. */
export interface Shard {
  index: number;
  count: number;
  /** "--shard" or the variables it came from, for messages */
  source: string;
}

function parseIndex(text: string | undefined, what: string): number {
  if (text === undefined || !/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new RangeError(`${what}: expected a whole number ≥ 0, got ${text === undefined ? "nothing" : JSON.stringify(text)}`);
  }
  return Number(text);
}

function checked(index: number, count: number, source: string): Shard {
  if (count < 1) throw new RangeError(`${source}: the shard count must be at least 1, got ${count}`);
  if (index >= count) throw new RangeError(`${source}: shard index ${index} is not below the count ${count} (shards are numbered 0..${count - 1})`);
  return { index, count, source };
}

/**
 * Parses `I/N` (0 ≤ I < N).
 *
 * @example
 * parseShard("1/4"); // { index: 1, count: 4, source: "--shard" }
 */
export function parseShard(text: string, flag = "--shard"): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new RangeError(`${flag}: expected I/N (shard I of N, 0 ≤ I < N), got ${JSON.stringify(text)}`);
  return checked(parseIndex(m[1], flag), parseIndex(m[2], flag), `${flag} ${text.trim()}`);
}

function kubernetes(env: Record<string, string | undefined>): Shard | undefined {
  const index = env.JOB_COMPLETION_INDEX, count = env.JOB_COMPLETIONS;
  if (index === undefined && count === undefined) return undefined;
  if (index === undefined) throw new RangeError("JOB_COMPLETIONS is set but JOB_COMPLETION_INDEX is not: set both (a Kubernetes Indexed Job sets the index) or neither");
  if (count === undefined) {
    throw new RangeError("JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not: Kubernetes does not set the count; set it in the pod's env to the Job's spec.completions (see examples/distributed/)");
  }
  const i = parseIndex(index, "JOB_COMPLETION_INDEX"), n = parseIndex(count, "JOB_COMPLETIONS");
  return checked(i, n, `JOB_COMPLETION_INDEX=${index}, JOB_COMPLETIONS=${count}`);
}

function slurm(env: Record<string, string | undefined>): Shard | undefined {
  const id = env.SLURM_ARRAY_TASK_ID, count = env.SLURM_ARRAY_TASK_COUNT;
  if (id === undefined && count === undefined) return undefined;
  if (id === undefined) throw new RangeError("SLURM_ARRAY_TASK_COUNT is set but SLURM_ARRAY_TASK_ID is not: run as a job array (sbatch --array) or unset both");
  if (count === undefined) throw new RangeError("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: run as a job array (sbatch --array) or unset both");
  const step = env.SLURM_ARRAY_TASK_STEP;
  if (step !== undefined && parseIndex(step, "SLURM_ARRAY_TASK_STEP") !== 1) {
    throw new RangeError(`SLURM_ARRAY_TASK_STEP=${step}: shards need consecutive task ids (--array=0-N or 1-N, no :step)`);
  }
  const n = parseIndex(count, "SLURM_ARRAY_TASK_COUNT");
  const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : parseIndex(env.SLURM_ARRAY_TASK_MIN, "SLURM_ARRAY_TASK_MIN");
  const max = env.SLURM_ARRAY_TASK_MAX === undefined ? undefined : parseIndex(env.SLURM_ARRAY_TASK_MAX, "SLURM_ARRAY_TASK_MAX");
  if (max !== undefined && max - min + 1 !== n) {
    throw new RangeError(`SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_MAX=${max} and SLURM_ARRAY_TASK_COUNT=${n} disagree: shards need one task per id, without gaps (--array=${min}-${min + n - 1})`);
  }
  const i = parseIndex(id, "SLURM_ARRAY_TASK_ID");
  if (i < min) throw new RangeError(`SLURM_ARRAY_TASK_ID=${id} is below SLURM_ARRAY_TASK_MIN=${min}`);
  const source = `SLURM_ARRAY_TASK_ID=${id}${min ? `, SLURM_ARRAY_TASK_MIN=${min}` : ""}, SLURM_ARRAY_TASK_COUNT=${count}`;
  return checked(i - min, n, source);
}

/**
 * The shard this process runs: `--shard` when given (it wins over the environment), else the
 * Kubernetes or Slurm array variables, else none. Throws naming the flag or variable when a
 * value is malformed, half given, or the two engines' variables disagree.
 *
 * @example
 * shardOf(undefined, { JOB_COMPLETION_INDEX: "2", JOB_COMPLETIONS: "4" }); // { index: 2, count: 4, … }
 */
export function shardOf(flag: string | undefined, env: Record<string, string | undefined>): Shard | undefined {
  if (flag !== undefined) return parseShard(flag);
  const k = kubernetes(env), s = slurm(env);
  if (k && s && (k.index !== s.index || k.count !== s.count)) {
    throw new RangeError(`conflicting shards in the environment: ${k.source} says ${k.index}/${k.count}, ${s.source} says ${s.index}/${s.count}; unset one or pass --shard I/N`);
  }
  return k ?? s;
}

/**
 * The positions [start, end) in a list of `total` seeds that shard `index` of `count` takes:
 * contiguous blocks whose sizes differ by at most one, in order.
 *
 * @example
 * shardRange(8, { index: 1, count: 3 }); // [2, 5]
 */
export function shardRange(total: number, shard: Pick<Shard, "index" | "count">): [number, number] {
  return [Math.floor((shard.index * total) / shard.count), Math.floor(((shard.index + 1) * total) / shard.count)];
}

/**
 * The seeds of a shard; refuses a split that would leave a shard without seeds.
 *
 * @example
 * shardSeeds([0, 1, 2, 3, 4, 5, 6, 7], parseShard("1/2")); // [4, 5, 6, 7]
 */
export function shardSeeds(seeds: readonly number[], shard: Shard): number[] {
  if (shard.count > seeds.length) {
    throw new RangeError(`${shard.source}: ${seeds.length} seed${seeds.length === 1 ? "" : "s"} cannot be split into ${shard.count} shards (at most one shard per seed)`);
  }
  const [start, end] = shardRange(seeds.length, shard);
  return seeds.slice(start, end);
}

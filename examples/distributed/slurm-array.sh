#!/bin/bash
# Claims over seeds on Slurm: one array task per shard (SLURM_ARRAY_TASK_ID of
# SLURM_ARRAY_TASK_COUNT, both set by Slurm), then the merge once every task succeeded:
#
#   jid=$(sbatch --parsable examples/distributed/slurm-array.sh)
#   sbatch --dependency=afterok:$jid examples/distributed/slurm-merge.sh
#
# Run from gradlab's repository after `npm ci`; results/ must be on a shared file system.
#SBATCH --job-name=gradlab-seeds
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --output=results/slurm-%A_%a.out
set -euo pipefail
EXPERIMENT=${EXPERIMENT:-fashion-sigmoid-vs-relu}
PROFILE=${PROFILE:-quick}
SEEDS=${SEEDS:-8}
SEED=${SEED:-0}
mkdir -p results
npx gradlab run "$EXPERIMENT" --profile "$PROFILE" --backend wasm --seed "$SEED" --seeds "$SEEDS" \
  --out "results/shard-${SLURM_ARRAY_TASK_ID}.json"

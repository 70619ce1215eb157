#!/bin/bash
# The merge after slurm-array.sh: every shard file into one result, judged over all seeds;
# exits 1 (the job fails) when a claim is refuted.
#SBATCH --job-name=gradlab-seeds-merge
#SBATCH --cpus-per-task=1
#SBATCH --output=results/slurm-merge-%j.out
set -euo pipefail
npx gradlab merge results/shard-*.json --out results/claims.json --junit results/claims.xml --strict

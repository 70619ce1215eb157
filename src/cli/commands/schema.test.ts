/**
 * `gradlab schema NAME`: every printed schema stands alone — a fresh, strict JSON Schema
 * validator (not gradlab's own) compiles it — and accepts the files of its kind that the
 * repository holds: the experiment files and the committed multi-seed fixtures; and refuses
 * one with a member taken out.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../testing/subprocess.ts";
import { PRINTED_SCHEMAS, schemaText } from "./schema.ts";

const validator = (name: string) => new Ajv({ strict: true, allowUnionTypes: true, allErrors: true }).compile(JSON.parse(schemaText(name)));

test("every printed schema compiles in a fresh strict validator", () => {
  for (const name of Object.keys(PRINTED_SCHEMAS)) validator(name);
});

test("the committed files validate against the printed schema of their kind, and a damaged one does not", () => {
  const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));
  const experiments = readdirSync(join(REPO_ROOT, "experiments")).filter((f) => f.endsWith(".json") && f !== "experiment.schema.json");
  const seeds = readdirSync(join(REPO_ROOT, "fixtures"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".seeds.json"));
  assert.ok(experiments.length >= 6 && seeds.length >= 2, `${experiments.length} experiment files, ${seeds.length} seeds fixtures`);
  const cases: [string, string[]][] = [
    ["experiment", experiments.map((f) => join(REPO_ROOT, "experiments", f))],
    ["seeds", seeds.map((f) => join(REPO_ROOT, "fixtures", f))],
  ];
  for (const [name, files] of cases) {
    const v = validator(name);
    for (const file of files) {
      assert.ok(v(json(file)), `${file} against gradlab schema ${name}: ${JSON.stringify(v.errors)}`);
      const damaged = json(file);
      delete damaged[Object.keys(damaged).find((k) => k !== "$schema")!];
      assert.not.ok(v(damaged), `${file} with its first member removed`);
    }
  }
});

test.run();

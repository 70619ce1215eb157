/**
 * Checking results against golden ones: the fixtures (data, in fixtures/<experiment>/<profile>.json
 * or beside an experiment file) are read, compared under the tolerance policy, regenerated and
 * verified by this code. Named apart from fixtures/ so the code and the data are not confused.
 */
export * from "./compare.ts";
export * from "./diff.ts";
export * from "./io.ts";
export * from "./provenance.ts";
export * from "./regen.ts";
export * from "./schema.ts";
export * from "./tolerance.ts";
export * from "./verify.ts";

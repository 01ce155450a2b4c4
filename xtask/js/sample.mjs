// Samples the inputs of `cargo xtask conformance` and `cargo xtask roundtrip` from an OpenAPI 3.0
// document, deterministically:
//
//   node xtask/js/sample.mjs SPEC PLAN_OUT INSTANCES_OUT
//
// PLAN_OUT ("call plan"): for every operation, keyed by "METHOD /path/template", the values of its
// path parameters and required query and header parameters (by wire name) and its request body.
// A value is the parameter's own `example` when it has one; otherwise openapi-sampler's sample of
// the schema (schema `example`, `default`, first `enum` value, a value of the `format`), which is
// deterministic. Every value is checked against its schema with Ajv; when openapi-sampler's value
// is not valid (it ignores `pattern`, unknown formats such as `duration`, and picks the first
// oneOf member even when it matches two), json-schema-faker values are tried (see `fake`). A value
// that stays invalid is kept with an `invalid` note, and the harness fails that operation.
// Optional parameters are left out.
//
// INSTANCES_OUT: for every component schema, keyed by its JSON pointer, a list of instances:
// the schema's own `example` when it has one, then one json-schema-faker instance per seed in
// FAKER_SEEDS. Each is checked with Ajv; instances that stay invalid carry an `invalid` note and
// are only listed by the harness: they are not evidence about the client either way.
import { readFileSync, writeFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import yaml from "js-yaml";
import OpenAPISampler from "openapi-sampler";
import { generateSync } from "json-schema-faker";

/** The seeds json-schema-faker uses for round-trip instances; one instance per seed. */
const FAKER_SEEDS = [1, 2, 3];
/** How many seeds (seed, seed + 100, …) are tried for one value before giving up. */
const FAKER_ATTEMPTS = 5;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const COMPONENT_SCHEMAS = "#/components/schemas/";

const [specPath, planPath, instancesPath] = process.argv.slice(2);
if (!instancesPath) {
  console.error("usage: node sample.mjs SPEC PLAN_OUT INSTANCES_OUT");
  process.exit(2);
}
const spec = yaml.load(readFileSync(specPath, "utf8"));

/** Follows a local `$ref` (possibly a chain), percent-decoding and unescaping its pointer. */
function resolve(node) {
  for (let depth = 0; node && typeof node.$ref === "string" && depth < 32; depth++) {
    const pointer = node.$ref;
    if (!pointer.startsWith("#/")) throw new Error(`non-local $ref ${pointer}`);
    node = pointer
      .slice(2)
      .split("/")
      .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((current, key) => (current === undefined ? undefined : current[key]), spec);
    if (node === undefined) throw new Error(`dangling $ref ${pointer}`);
  }
  return node;
}

/** Escapes one JSON pointer segment. */
const escapeSegment = (key) => key.replace(/~/g, "~0").replace(/\//g, "~1");

// Component schemas as JSON Schema `$defs`, with their `$ref`s rewritten to match. Two OpenAPI 3.0
// rules are translated: `nullable: true` becomes `anyOf: [the schema, {type: "null"}]`, which
// both Ajv and json-schema-faker understand (Ajv's own `nullable` needs a sibling `type`); and a
// schema that lists `properties`, `required` or `additionalProperties` without a `type` gets
// `type: "object"`. The second rule only narrows the schema, so every instance valid for it is
// valid for the spec; without it, samplers return `null` for such schemas (openapi-sampler does
// for allOf members without a type). `example` becomes JSON Schema's `examples`, and `x-`
// extensions are dropped (json-schema-faker turns some of them into properties).
const DEFS_ID = "https://conformance.invalid/components";
const componentSchemas = (spec.components ?? {}).schemas ?? {};
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf"];
const SCHEMA_VALUES = ["additionalProperties", "items", "not"];
const mapValues = (object, f) =>
  Object.fromEntries(Object.entries(object ?? {}).map(([key, value]) => [key, f(value)]));
function toJsonSchema(schema, prefix) {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_SCHEMAS)) {
      out.$ref = `${prefix}#/$defs/${value.slice(COMPONENT_SCHEMAS.length)}`;
    } else if (SCHEMA_MAPS.includes(key)) {
      out[key] = mapValues(value, (item) => toJsonSchema(item, prefix));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((item) => toJsonSchema(item, prefix));
    } else if (SCHEMA_VALUES.includes(key)) {
      out[key] = Array.isArray(value)
        ? value.map((item) => toJsonSchema(item, prefix))
        : toJsonSchema(value, prefix);
    } else if (key === "example") {
      out.examples = [value];
    } else if (key !== "nullable" && !key.startsWith("x-")) {
      out[key] = value;
    }
  }
  const objectLike = ["properties", "required", "additionalProperties"].some((key) => key in out);
  if (out.type === undefined && out.$ref === undefined && objectLike) out.type = "object";
  return schema.nullable === true ? { anyOf: [out, { type: "null" }] } : out;
}
const defs = mapValues(componentSchemas, (schema) => toJsonSchema(schema, ""));
const ajv = new Ajv({ strict: false, logger: false, validateFormats: true });
addFormats(ajv);
ajv.addSchema({
  $id: DEFS_ID,
  $defs: mapValues(componentSchemas, (schema) => toJsonSchema(schema, DEFS_ID)),
});

/** `null` when `value` is valid for the OpenAPI `schema`, else the first error. */
function invalidity(schema, value) {
  if (value === undefined) return "no value";
  const validate = ajv.compile(toJsonSchema(schema, DEFS_ID));
  if (validate(value)) return null;
  const [error] = validate.errors ?? [];
  return error ? `${error.instancePath || "."} ${error.message}` : "invalid";
}

/** A json-schema-faker value for the OpenAPI `schema` with `seed`. */
function fake(schema, seed, alwaysFakeOptionals) {
  return generateSync(
    { $defs: defs, ...toJsonSchema(schema, "") },
    {
      seed,
      alwaysFakeOptionals,
      fixedProbabilities: true,
      // Deep enough for Qovery's nesting: at the default limits, nested `$ref`s come out as
      // empty strings and objects that break their schemas.
      maxDepth: 12,
      refDepthMax: 12,
    },
  );
}

/** The first valid json-schema-faker value for seeds `seed`, `seed + 100`, …, or the last try. */
function validFake(schema, seed, alwaysFakeOptionals) {
  let instance;
  for (let attempt = 0; attempt < FAKER_ATTEMPTS; attempt++) {
    const source = `json-schema-faker seed ${seed + 100 * attempt}`;
    try {
      const value = fake(schema, seed + 100 * attempt, alwaysFakeOptionals);
      const invalid = invalidity(schema, value);
      instance = { source, value, ...(invalid && { invalid }) };
    } catch (error) {
      instance = { source, invalid: `json-schema-faker failed: ${error.message ?? error}` };
    }
    if (!instance.invalid) break;
  }
  return instance;
}

/** A request value for `schema`: openapi-sampler's when valid, else json-schema-faker's. */
function requestValue(schema, example) {
  const first = example !== undefined ? example : OpenAPISampler.sample(
    schema,
    { skipReadOnly: true, quiet: true },
    spec,
  );
  const invalid = invalidity(schema, first);
  if (!invalid) return { value: first };
  const fallback = validFake(schema, FAKER_SEEDS[0], false);
  if (!fallback.invalid) return { value: fallback.value };
  return { value: first, invalid: `${invalid} (json-schema-faker: ${fallback.invalid})` };
}

const plan = {};
for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
  const item = resolve(rawItem);
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    const parameters = new Map();
    for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
      const parameter = resolve(raw);
      parameters.set(`${parameter.in}:${parameter.name}`, parameter);
    }
    const call = { path: {}, query: {}, header: {} };
    const invalid = [];
    for (const parameter of parameters.values()) {
      if (!(parameter.in in call) || (parameter.in !== "path" && !parameter.required)) continue;
      const examples = Object.values(parameter.examples ?? {}).map(resolve);
      const example = parameter.example ?? examples[0]?.value;
      const sampled = requestValue(parameter.schema ?? {}, example);
      call[parameter.in][parameter.name] = sampled.value;
      if (sampled.invalid) invalid.push(`${parameter.in} parameter ${parameter.name}: ${sampled.invalid}`);
    }
    if (operation.requestBody) {
      const body = resolve(operation.requestBody);
      const [contentType, media] = Object.entries(body.content ?? {})[0] ?? [];
      if (media) {
        const sampled = requestValue(media.schema ?? {});
        call.content_type = contentType;
        call.body = sampled.value;
        if (sampled.invalid) invalid.push(`body: ${sampled.invalid}`);
      }
    }
    if (invalid.length > 0) call.invalid = invalid.join("; ");
    plan[`${method.toUpperCase()} ${path}`] = call;
  }
}

const instances = {};
for (const [key, schema] of Object.entries(componentSchemas)) {
  const pointer = `${COMPONENT_SCHEMAS}${escapeSegment(key)}`;
  const reference = { $ref: pointer };
  const list = [];
  const example = resolve(schema).example;
  if (example !== undefined) {
    const invalid = invalidity(reference, example);
    list.push({ source: "spec example", value: example, ...(invalid && { invalid }) });
  }
  for (const seed of FAKER_SEEDS) {
    list.push(validFake(reference, seed, seed === FAKER_SEEDS[0]));
  }
  instances[pointer] = list;
}

writeFileSync(planPath, JSON.stringify(plan, null, 1));
writeFileSync(instancesPath, JSON.stringify(instances, null, 1));
const count = (values) => values.filter((value) => value.invalid).length;
console.log(
  `sampled ${Object.keys(plan).length} operations (${count(Object.values(plan))} with an ` +
    `invalid value) and ${Object.keys(instances).length} schemas ` +
    `(${count(Object.values(instances).flat())} invalid instances, listed but not used)`,
);

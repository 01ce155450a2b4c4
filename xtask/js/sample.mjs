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
// oneOf member even when it matches two), json-schema-faker values are tried (see `fake`). When
// none is valid either, the same two are tried again with required properties only: some schemas
// (overlapping oneOf members, such as Helm's ports) can only be satisfied by leaving an optional
// property out. A value that stays invalid is kept with an `invalid` note, and the harness fails
// that operation. Optional parameters are left out.
//
// INSTANCES_OUT: for every component schema, keyed by its JSON pointer, a list of instances:
// the schema's own `example` when it has one, then one json-schema-faker instance per seed in
// FAKER_SEEDS (a required-only one when no instance with optional properties is valid). Each is
// checked with Ajv, and for members that no schema declares (see `undeclaredMember`); instances
// that stay invalid carry an `invalid` note and are only listed by the harness: they are not
// evidence about the client either way.
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
/**
 * How json-schema-faker treats optional properties: `all` of them, `some` (with
 * `fixedProbabilities`, the first half of each object's optional properties), or `none`.
 */
const OPTIONALS = {
  all: { alwaysFakeOptionals: true },
  some: { alwaysFakeOptionals: false, optionalsProbability: 0.5 },
  none: { alwaysFakeOptionals: false, optionalsProbability: 0 },
};
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
//
// For json-schema-faker only (`forFaker`), a map (a schema with `additionalProperties` and no
// `properties`) also gets `minProperties: 1`: json-schema-faker 0.6 generates additional
// properties only to reach `minProperties`, so maps would otherwise always come out empty. This
// too only narrows the schema; Ajv checks the instances against the untouched translation.
const DEFS_ID = "https://conformance.invalid/components";
const componentSchemas = (spec.components ?? {}).schemas ?? {};
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf"];
const SCHEMA_VALUES = ["additionalProperties", "items", "not"];
const mapValues = (object, f) =>
  Object.fromEntries(Object.entries(object ?? {}).map(([key, value]) => [key, f(value)]));
function toJsonSchema(schema, prefix, forFaker = false) {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out = {};
  const inner = (item) => toJsonSchema(item, prefix, forFaker);
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_SCHEMAS)) {
      out.$ref = `${prefix}#/$defs/${value.slice(COMPONENT_SCHEMAS.length)}`;
    } else if (SCHEMA_MAPS.includes(key)) {
      out[key] = mapValues(value, inner);
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(inner);
    } else if (SCHEMA_VALUES.includes(key)) {
      out[key] = Array.isArray(value) ? value.map(inner) : inner(value);
    } else if (key === "example") {
      out.examples = [value];
    } else if (key !== "nullable" && !key.startsWith("x-")) {
      out[key] = value;
    }
  }
  const objectLike = ["properties", "required", "additionalProperties"].some((key) => key in out);
  if (out.type === undefined && out.$ref === undefined && objectLike) out.type = "object";
  const map = out.additionalProperties !== undefined && out.additionalProperties !== false;
  if (forFaker && map && out.properties === undefined && out.minProperties === undefined) {
    out.minProperties = 1;
  }
  return schema.nullable === true ? { anyOf: [out, { type: "null" }] } : out;
}
const fakerDefs = mapValues(componentSchemas, (schema) => toJsonSchema(schema, "", true));
/** An Ajv with the component schemas; `allErrors` for `pruned`, which counts errors. */
function newAjv(allErrors) {
  const instance = new Ajv({ strict: false, logger: false, validateFormats: true, allErrors });
  addFormats(instance);
  instance.addSchema({
    $id: DEFS_ID,
    $defs: mapValues(componentSchemas, (schema) => toJsonSchema(schema, DEFS_ID)),
  });
  return { ajv: instance, validators: new WeakMap() };
}
const firstError = newAjv(false);
const everyError = newAjv(true);

/** Ajv's validator of the OpenAPI `schema`, compiled once per schema object. */
function validator({ ajv, validators }, schema) {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema, DEFS_ID));
    if (schema && typeof schema === "object") validators.set(schema, validate);
  }
  return validate;
}

/** `null` when `value` is valid for the OpenAPI `schema`, else the first error. */
function invalidity(schema, value) {
  if (value === undefined) return "no value";
  const validate = validator(firstError, schema);
  if (validate(value)) return null;
  const [error] = validate.errors ?? [];
  return error ? `${error.instancePath || "."} ${error.message}` : "invalid";
}

/**
 * The first member of `value` (a path) that `schema` does not declare, or `null`. A member is
 * declared by `properties`, by `additionalProperties` (a map), or by `required` (a required
 * member that is not among `properties` is still one the schema asks for), in the schema or
 * any of its `allOf`, `oneOf` and `anyOf` members. The generated structs drop undeclared
 * members, so an instance with one cannot round-trip. A member that only a oneOf member the
 * value does not match declares still counts as declared: json-schema-faker did not invent it,
 * and what the client makes of it is for the round trip to show.
 */
function undeclaredMember(schema, value, path = "") {
  const schemas = [];
  const collect = (node) => {
    node = resolve(node);
    if (!node || typeof node !== "object" || schemas.includes(node)) return;
    schemas.push(node);
    for (const member of [...(node.allOf ?? []), ...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
      collect(member);
    }
  };
  collect(schema);
  if (Array.isArray(value)) {
    const items = schemas.map((node) => node.items).filter((items) => items !== undefined);
    for (const [index, item] of value.entries()) {
      for (const itemSchema of items) {
        const found = undeclaredMember(itemSchema, item, `${path}/${index}`);
        if (found) return found;
      }
    }
    return null;
  }
  if (!value || typeof value !== "object") return null;
  for (const [key, member] of Object.entries(value)) {
    const declared = schemas.filter((node) => node.properties?.[key] !== undefined);
    const maps = schemas.filter(
      (node) => node.additionalProperties !== undefined && node.additionalProperties !== false,
    );
    const memberPath = `${path}/${escapeSegment(key)}`;
    if (declared.length === 0 && maps.length === 0) {
      if (schemas.some((node) => node.required?.includes(key))) continue;
      return memberPath;
    }
    const memberSchemas = declared.length > 0
      ? declared.map((node) => node.properties[key])
      : maps.map((node) => node.additionalProperties).filter((item) => item !== true);
    for (const memberSchema of memberSchemas) {
      const found = undeclaredMember(memberSchema, member, memberPath);
      if (found) return found;
    }
  }
  return null;
}

/** Every Ajv error of `value` for the OpenAPI `schema` (none when valid). */
function errors(schema, value) {
  const validate = validator(everyError, schema);
  return validate(value) ? [] : validate.errors;
}

/** How many members `pruned` may remove from one value. */
const PRUNE_STEPS = 10;

/**
 * `value` without the optional members that make it invalid for `schema`, or `undefined`. For
 * the first Ajv error, it removes the innermost member on the error's path (an object member or
 * an array element) whose removal lowers the number of errors without making a required member
 * missing, and repeats until the value is valid. This keeps the rest of a sampled value, unlike
 * a required-only one: Helm's `source` is required, and only a sampled one (whose
 * `git_repository` lacks the members that are required but undeclared) matches exactly one of
 * its oneOf members, while `ports` must go.
 */
function pruned(schema, value) {
  if (value === undefined) return undefined;
  let current = structuredClone(value);
  for (let step = 0; step <= PRUNE_STEPS; step++) {
    const found = errors(schema, current);
    if (found.length === 0) return current;
    const path = found[0].instancePath
      .split("/")
      .slice(1)
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
    let next;
    for (let depth = path.length; depth > 0 && next === undefined; depth--) {
      const candidate = structuredClone(current);
      const parent = path.slice(0, depth - 1).reduce((node, key) => node[key], candidate);
      const key = path[depth - 1];
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      const parentPath = path.slice(0, depth - 1).map((part) => `/${escapeSegment(part)}`).join("");
      const after = errors(schema, candidate);
      const madeMissing = after.some(
        (error) =>
          error.keyword === "required" &&
          error.instancePath === parentPath &&
          error.params.missingProperty === key,
      );
      if (!madeMissing && after.length < found.length) next = candidate;
    }
    if (next === undefined) return undefined;
    current = next;
  }
  return undefined;
}

/** `null` when `value` is a valid round-trip instance of `schema`, else why not. */
function instanceInvalidity(schema, value) {
  const invalid = invalidity(schema, value);
  if (invalid) return invalid;
  const undeclared = undeclaredMember(schema, value);
  return undeclared && `${undeclared} is a member that no schema declares`;
}

/** A json-schema-faker value for the OpenAPI `schema` with `seed`; `optionals` keys OPTIONALS. */
function fake(schema, seed, optionals) {
  return generateSync(
    { $defs: fakerDefs, ...toJsonSchema(schema, "", true) },
    {
      seed,
      ...OPTIONALS[optionals],
      fixedProbabilities: true,
      // Deep enough for Qovery's nesting: at the default limits, nested `$ref`s come out as
      // empty strings and objects that break their schemas.
      maxDepth: 12,
      refDepthMax: 12,
    },
  );
}

/**
 * The first valid json-schema-faker value for seeds `seed`, `seed + 100`, …, or the last try.
 * `check` is `invalidity` or `instanceInvalidity`.
 */
function validFake(schema, seed, optionals, check = invalidity) {
  let instance;
  const label = optionals === "none" ? ", required only" : "";
  for (let attempt = 0; attempt < FAKER_ATTEMPTS; attempt++) {
    const source = `json-schema-faker seed ${seed + 100 * attempt}${label}`;
    try {
      const value = fake(schema, seed + 100 * attempt, optionals);
      const invalid = check(schema, value);
      instance = { source, value, ...(invalid && { invalid }) };
    } catch (error) {
      instance = { source, invalid: `json-schema-faker failed: ${error.message ?? error}` };
    }
    if (!instance.invalid) break;
  }
  return instance;
}

/** openapi-sampler's value for `schema`, with required properties only when `requiredOnly`. */
const openapiSample = (schema, requiredOnly) =>
  OpenAPISampler.sample(
    schema,
    { skipReadOnly: true, skipNonRequired: requiredOnly, quiet: true },
    spec,
  );

/**
 * A request value for `schema`: the example or openapi-sampler's value when valid, else
 * json-schema-faker's (some optional properties), else openapi-sampler's and then
 * json-schema-faker's with required properties only, else the first value `pruned`.
 */
function requestValue(schema, example) {
  const first = example !== undefined ? example : openapiSample(schema, false);
  const invalid = invalidity(schema, first);
  if (!invalid) return { value: first };
  const fallback = validFake(schema, FAKER_SEEDS[0], "some");
  if (!fallback.invalid) return { value: fallback.value };
  const requiredOnly = openapiSample(schema, true);
  if (!invalidity(schema, requiredOnly)) return { value: requiredOnly };
  const fakedRequiredOnly = validFake(schema, FAKER_SEEDS[0], "none");
  if (!fakedRequiredOnly.invalid) return { value: fakedRequiredOnly.value };
  const repaired = pruned(schema, first);
  if (repaired !== undefined) return { value: repaired };
  return {
    value: first,
    invalid: `${invalid} (json-schema-faker: ${fallback.invalid}; required only: ` +
      `${fakedRequiredOnly.invalid})`,
  };
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
    const invalid = instanceInvalidity(reference, example);
    list.push({ source: "spec example", value: example, ...(invalid && { invalid }) });
  }
  for (const seed of FAKER_SEEDS) {
    const optionals = seed === FAKER_SEEDS[0] ? "all" : "some";
    const instance = validFake(reference, seed, optionals, instanceInvalidity);
    if (!instance.invalid) {
      list.push(instance);
      continue;
    }
    // No instance with optional properties is valid: try required-only ones, then prune the
    // first (seed `seed`) instance.
    const requiredOnly = validFake(reference, seed, "none", instanceInvalidity);
    if (!requiredOnly.invalid) {
      list.push(requiredOnly);
      continue;
    }
    let repaired;
    try {
      repaired = pruned(reference, fake(reference, seed, optionals));
    } catch {
      repaired = undefined;
    }
    const repairedInvalid = repaired !== undefined && instanceInvalidity(reference, repaired);
    if (repaired !== undefined && !repairedInvalid) {
      list.push({ source: `json-schema-faker seed ${seed}, pruned`, value: repaired });
    } else {
      list.push(instance);
    }
  }
  // Still nothing valid: openapi-sampler's value, pruned if need be. It differs from
  // json-schema-faker's where it matters for overlapping oneOf members: it leaves out members
  // that are required but undeclared, so it can match exactly one of them.
  if (list.every((instance) => instance.invalid)) {
    const value = openapiSample(reference, false);
    const repaired = invalidity(reference, value) ? pruned(reference, value) : value;
    const source = repaired === value ? "openapi-sampler" : "openapi-sampler, pruned";
    const invalid = repaired === undefined
      ? `${invalidity(reference, value)} (pruning found no valid value)`
      : instanceInvalidity(reference, repaired);
    list.push({ source, value: repaired ?? value, ...(invalid && { invalid }) });
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

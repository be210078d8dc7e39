// The schema the SPA is typed and tested against: the API's emitted schema
// (apps/api/schema.graphql), completed with anything of the public contract
// (contract/schema.graphql) it does not have yet.
//
// The emitted schema must contain the whole contract (findBreakingChanges reports nothing), so
// once the API is complete this is exactly the emitted schema, in its order. While the API is being
// built feature by feature, the SPA still types every contract operation instead of failing.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Kind, parse } = require('graphql');

const repoRoot = join(__dirname, '../../..');
const emittedPath = join(repoRoot, 'apps/api/schema.graphql');
const contractPath = join(repoRoot, 'contract/schema.graphql');

/** Members of a definition that have names: fields, input fields, enum values. */
const MEMBER_KEYS = ['fields', 'values'];

function mergeDefinition(emitted, contract) {
  const merged = { ...emitted };
  for (const key of MEMBER_KEYS) {
    if (!emitted[key] && !contract[key]) continue;
    const have = new Set((emitted[key] ?? []).map((member) => member.name.value));
    const missing = (contract[key] ?? []).filter((member) => !have.has(member.name.value));
    merged[key] = [...(emitted[key] ?? []), ...missing];
  }
  return merged;
}

function definitionName(definition) {
  return definition.name ? definition.name.value : null;
}

/** The merged schema as a DocumentNode. */
function loadSchemaDocument() {
  const emitted = parse(readFileSync(emittedPath, 'utf8'), { noLocation: true });
  const contract = parse(readFileSync(contractPath, 'utf8'), { noLocation: true });
  const fromContract = new Map(
    contract.definitions.filter(definitionName).map((d) => [definitionName(d), d]),
  );
  const seen = new Set();
  const definitions = emitted.definitions.map((definition) => {
    const name = definitionName(definition);
    if (!name) return definition;
    seen.add(name);
    const other = fromContract.get(name);
    return other && other.kind === definition.kind
      ? mergeDefinition(definition, other)
      : definition;
  });
  for (const [name, definition] of fromContract) {
    if (!seen.has(name)) definitions.push(definition);
  }
  return { kind: Kind.DOCUMENT, definitions };
}

module.exports = { loadSchemaDocument, emittedPath, contractPath };

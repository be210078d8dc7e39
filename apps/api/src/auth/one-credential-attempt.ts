import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** The mutations that cost an argon2 hash or check and are throttled per attempt. */
const CREDENTIAL_FIELDS = new Set(['login', 'signUp']);

/**
 * One `login` or `signUp` per request. Aliases (`a: login … b: login …`) would otherwise make one
 * HTTP request carry many guesses or many new businesses. Counted over the mutation's root
 * selection, through fragments, each fragment measured once (memoised), so the walk stays linear
 * in the document.
 */
export function oneCredentialAttemptPerRequest(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const counted = new Map<string, number>();

  // Capped at 2: enough to refuse, and spreads of spreads cannot grow the count exponentially.
  const count = (selectionSet: SelectionSetNode, visiting: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (CREDENTIAL_FIELDS.has(selection.name.value)) total += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic spreads are graphql-js's own rules' business.
        if (!fragment || visiting.has(name)) continue;
        if (!counted.has(name)) {
          visiting.add(name);
          counted.set(name, count(fragment.selectionSet, visiting));
          visiting.delete(name);
        }
        total += counted.get(name)!;
      }
      if (total > 1) return 2;
    }
    return total;
  };

  return {
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return;
      if (count(operation.selectionSet, new Set()) > 1) {
        context.reportError(
          new GraphQLError('Send one login or signUp per request.', {
            nodes: [operation],
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  };
}

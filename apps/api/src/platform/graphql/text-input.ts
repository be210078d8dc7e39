import { type DocumentNode, Kind, visit } from 'graphql';
import { isUnsafeText } from '../text';

/** No input type of the schema nests anywhere near this deep; deeper JSON is not an input. */
export const MAX_VARIABLES_DEPTH = 16;

export type TextInputProblem =
  | { readonly kind: 'unsafe-text'; readonly path: string }
  | { readonly kind: 'too-deep'; readonly path: string };

/**
 * The first string (value or object key) in a request's variables that the API refuses, or one
 * nested deeper than any input. Walked with an explicit stack, not recursion, so a hostile
 * 100 kB `[[[[...]]]]` cannot overflow the call stack.
 */
export function findTextInputProblem(variables: unknown): TextInputProblem | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: variables, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (isUnsafeText(value)) return { kind: 'unsafe-text', path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_VARIABLES_DEPTH) return { kind: 'too-deep', path };
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [String(index), item])
      : Object.entries(value);
    for (const [key, item] of entries) {
      const itemPath = path ? `${path}.${shortKey(key)}` : `$${shortKey(key)}`;
      if (isUnsafeText(key)) return { kind: 'unsafe-text', path: path || '$' };
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Apollo keeps each validated document (by its text) and hands the same DocumentNode to every
 * request that sends that text, so the answer is worked out once per distinct document.
 */
const checkedDocuments = new WeakMap<DocumentNode, boolean>();

/** Whether any string literal written in the document itself holds unsafe text. */
export function documentHasUnsafeText(document: DocumentNode): boolean {
  let found = checkedDocuments.get(document);
  if (found === undefined) {
    found = scanDocument(document);
    checkedDocuments.set(document, found);
  }
  return found;
}

function scanDocument(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (isUnsafeText(node.value)) found = true;
    },
  });
  return found;
}

/** Keys are client-chosen: a path in an error message quotes at most a few dozen characters. */
function shortKey(key: string): string {
  return key.length > 32 ? `${key.slice(0, 32)}…` : key;
}

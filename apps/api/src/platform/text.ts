/**
 * Text the API will not store: NUL (PostgreSQL refuses it in text columns, so it would surface as
 * a driver error) and UTF-16 surrogates without their pair (not a character at all; they turn into
 * U+FFFD or errors wherever the text is encoded).
 */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isUnsafeText = (text: string): boolean => UNSAFE_TEXT.test(text);

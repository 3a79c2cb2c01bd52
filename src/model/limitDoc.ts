/** Where the limits are documented (named in every LimitError). */
export const LIMIT_DOC = 'docs/limits.md';

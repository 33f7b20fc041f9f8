import Fuse from "fuse.js";

/** `; did you mean "x"?` for a misspelled name among known ones, or an empty string. */
export function didYouMean(received: string, known: readonly string[]): string {
  const best = new Fuse([...known], { threshold: 0.4, includeScore: true }).search(received)[0];
  return best ? `; did you mean "${best.item}"?` : "";
}

/** `"a", "b", "c"` */
export function quoteList(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(", ");
}

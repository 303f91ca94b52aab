// Java .properties text → ordered (key, value, line) entries, via the `properties-file` package
// (a zero-dependency implementation of java.util.Properties.load: `#`/`!` comments, `=`, `:` or
// whitespace separators, backslash line continuations, \uXXXX and other escapes, BOM). Kept as a
// list, not a map, so that callers see duplicates and can name the line of each value.
import { Properties } from 'properties-file/parser';

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts. */
  line: number;
}

export function parsePropertiesText(text: string): PropertyEntry[] {
  return new Properties(text).getProperties().map((p) => ({ key: p.key, value: p.value, line: p.startingLineNumber }));
}

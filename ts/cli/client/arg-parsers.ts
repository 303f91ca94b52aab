// Commander argument parsers shared by the client commands. A bad value throws commander's
// InvalidArgumentError, which main.ts prints as one line and turns into exit code 2:
//   samsa: option '--partitions <n>' argument '0' is invalid. partitions must be ≥ 1
import { InvalidArgumentError } from 'commander';

/** Parser for an integer option with a lower bound, e.g. intAtLeast('partitions', 1). */
export function intAtLeast(name: string, min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be an integer.`);
    if (n < min) throw new InvalidArgumentError(`${name} must be ≥ ${min}.`);
    return n;
  };
}

/** Collector for a repeatable `key=value` option; the value may contain '=' and be empty. */
export function collectKeyValue(name: string): (value: string, previous: Array<[string, string]>) => Array<[string, string]> {
  return (value, previous) => {
    const at = value.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`${name} must be key=value, e.g. retention.ms=86400000.`);
    return [...previous, [value.slice(0, at), value.slice(at + 1)]];
  };
}

/** Collector for a repeatable plain string option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * A separator given on the command line: `\t`, `\n` and `\\` escapes are understood so that
 * `--key-separator '\t'` means a tab, as in Kafka's console tools.
 */
export function parseSeparator(value: string): string {
  const sep = value.replace(/\\(t|n|\\)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));
  if (sep.length === 0) throw new InvalidArgumentError('the separator must not be empty.');
  return sep;
}

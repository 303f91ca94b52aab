// ConfigError: every problem found in a broker configuration (file, --override, shortcuts, or a
// dynamic update), each naming the key, the value and the reason, so that a user fixes them all
// in one go. `code` is stable ('SAMSA_CONFIG'); the CLI prints the message without a stack trace.

export interface ConfigProblem {
  key: string;
  /** The offending value as given, or null when the key itself is the problem. */
  value: string | null;
  reason: string;
  /** Where the value came from, printed first: `server.properties:12`, `--override`, `--port`, `set()`. */
  origin?: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.origin ? `${p.origin}: ` : '';
  return p.value === null ? `${where}${p.key}: ${p.reason}` : `${where}${p.key}: '${p.value}': ${p.reason}`;
}

export class ConfigError extends Error {
  readonly code = 'SAMSA_CONFIG' as const;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: ConfigProblem[] | string) {
    const list = typeof problems === 'string' ? [{ key: '', value: null, reason: problems }] : problems;
    super(list.map((p) => (p.key ? formatProblem(p) : p.reason)).join('\n'));
    this.name = 'ConfigError';
    this.problems = list;
  }
}

export function isConfigError(err: unknown): err is ConfigError {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SAMSA_CONFIG';
}

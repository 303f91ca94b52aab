// How the `samsa` command reports failures, shared by every command:
//   bad arguments (commander errors, CliUsageError) and bad configuration (ConfigError, code
//   SAMSA_CONFIG): `samsa: <one line per problem>`, no stack trace, exit code 2;
//   known environment problems (NativeLoadError SAMSA_NATIVE_LOAD, ListenerBindError
//   SAMSA_LISTENER_BIND): message only, exit 1;
//   anything else is a bug: the full stack, exit 1.
// Errors are recognised by their `code` string, not instanceof (see STYLE.md, Errors).

/** Throw from a command for a bad argument that commander cannot check itself. */
export class CliUsageError extends Error {
  readonly code = 'SAMSA_USAGE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const USAGE_CODES = new Set(['SAMSA_USAGE', 'SAMSA_CONFIG']);
const MESSAGE_ONLY_CODES = new Set(['SAMSA_NATIVE_LOAD', 'SAMSA_LISTENER_BIND']);

/**
 * Commander's error text (`error: unknown option '--prot'\n(Did you mean --port?)`) as one line
 * without the `error: ` prefix: `unknown option '--prot' (did you mean --port?)`.
 */
export function formatCommanderMessage(text: string): string {
  return text.replace(/^error:\s*/i, '').split('\n').map((s) => s.trim()).filter(Boolean).join(' ')
    .replace('(Did you mean', '(did you mean');
}

function codeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Prints `err` as described above and returns the exit code. */
export function reportCliError(err: unknown, writeErr: (s: string) => void = (s) => { process.stderr.write(s); }): number {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code !== undefined && USAGE_CODES.has(code)) {
    for (const line of message.split('\n')) writeErr(`samsa: ${line}\n`);
    return EXIT_USAGE;
  }
  if (code !== undefined && MESSAGE_ONLY_CODES.has(code)) {
    writeErr(`samsa: ${message}\n`);
    return EXIT_FAILURE;
  }
  writeErr(`samsa: unexpected error (a bug; please report it with this output):\n${err instanceof Error ? err.stack ?? message : message}\n`);
  return EXIT_FAILURE;
}

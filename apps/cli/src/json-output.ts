/**
 * `--json`: one JSON document on stdout for scripts; everything a person reads (progress, tables,
 * notes) goes to stderr instead, so `descent ... --json | jq` sees nothing else.
 */
export function reportStream(json: boolean | undefined): NodeJS.WritableStream {
  return json ? process.stderr : process.stdout;
}

/** Typed arrays become plain arrays, a Matrix ({ data, rows, cols }) becomes its rows. */
function plain(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'data' in value && 'rows' in value && 'cols' in value) {
    const { data, rows, cols } = value as { data: ArrayLike<number>; rows: number; cols: number };
    return Array.from({ length: rows }, (_, r) => Array.from(data).slice(r * cols, (r + 1) * cols));
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

export function writeJson(value: unknown, stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(`${JSON.stringify(value, plain, 2)}\n`);
}

/** `-` for a file that is read: standard input. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

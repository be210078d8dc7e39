/**
 * What the primary and its API workers say to each other over the cluster's IPC channel. Every
 * type starts with `rbo:` so they never mix with node's or prom-client's own messages.
 */
export type WorkerMessage =
  /** The worker's server listens (on the port the primary shares). */
  | { readonly type: 'rbo:listening'; readonly port: number }
  /** The worker could not start; `message` is the one or two lines an operator should read. */
  | { readonly type: 'rbo:startup-failed'; readonly message: string }
  /** The worker's server no longer accepts connections (it is finishing its requests). */
  | { readonly type: 'rbo:listener-closed' }
  /** GET /metrics reached this worker: the primary answers for every process. */
  | { readonly type: 'rbo:metrics-request'; readonly requestId: number };

export type PrimaryMessage =
  /** Stop gracefully, as on SIGTERM. */
  | { readonly type: 'rbo:stop'; readonly signal: string }
  | {
      readonly type: 'rbo:metrics-response';
      readonly requestId: number;
      readonly metrics?: string;
      readonly error?: string;
    };

export function isMessage<T extends { type: string }>(value: unknown): value is T {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    (value as { type: string }).type.startsWith('rbo:')
  );
}

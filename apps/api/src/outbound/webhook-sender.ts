import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import {
  BlockedAddressError,
  guardedLookup,
  isNonPublicAddress,
  type UrlPolicy,
} from './webhook-url';

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface AttemptResult {
  readonly succeeded: boolean;
  /** The receiver's HTTP status; null when there was no answer. */
  readonly responseStatus: number | null;
  readonly durationMs: number;
  /** Why it failed, for the delivery log. */
  readonly error: string | null;
}

/** Enough of the answer to read a status; the rest is not ours to store. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One POST, with Node's http/https rather than fetch: fetch (undici) follows redirects unless told
 * otherwise and takes no per-request DNS lookup, and this needs both the lookup hook (the address
 * check at connect time, see guardedLookup) and no redirects at all. A 2xx is success; a 3xx is a
 * failure, never followed (it could point inside our network).
 */
export function postWebhook(request: WebhookRequest, policy: UrlPolicy): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(request.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal IP never goes through lookup, so it is checked here.
  if (isIP(host) && !policy.allowPrivateTargets && isNonPublicAddress(host)) {
    return Promise.resolve({
      succeeded: false,
      responseStatus: null,
      durationMs: 0,
      error: new BlockedAddressError(host).message,
    });
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body).toString(),
          'user-agent': 'refunds-backoffice-webhooks/1',
        },
        lookup: guardedLookup(policy) as never,
        timeout: request.timeoutMs,
        signal: AbortSignal.timeout(request.timeoutMs),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () =>
          finish({
            succeeded: status >= 200 && status < 300,
            responseStatus: status,
            durationMs: elapsed(),
            error:
              status >= 300 && status < 400
                ? `Answered ${status} (redirects are not followed)`
                : status >= 200 && status < 300
                  ? null
                  : `Answered ${status}`,
          });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${request.timeoutMs} ms`)));
    req.on('error', (error: Error) =>
      finish({
        succeeded: false,
        responseStatus: null,
        durationMs: elapsed(),
        error:
          error.name === 'AbortError' || error.name === 'TimeoutError'
            ? `No answer within ${request.timeoutMs} ms`
            : error.message,
      }),
    );
    req.end(request.body);
  });
}

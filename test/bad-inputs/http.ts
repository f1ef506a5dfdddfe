/** Requests sent as bytes over a real socket to the listening API: what a client sends, malformed or not, reaches the server as sent. */
import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON, when it is. */
  json?: unknown;
}

type Request = { method: string; url: string; headers?: Record<string, string>; body?: Buffer | string };

/**
 * One request, sent again while the API answers SERVER_BUSY (refused before any handler ran, so
 * nothing was done), as a client told to try again would, for at most a minute: in the tests the
 * worker shares the API's process, and a zip bomb being refused on a loaded machine may hold it.
 */
export async function send(baseUrl: string, req: Request): Promise<Answer> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await sendOnce(baseUrl, req);
    if (answer.status !== 503 || (answer.json as { code?: string } | undefined)?.code !== 'SERVER_BUSY' || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function sendOnce(baseUrl: string, req: Request): Promise<Answer> {
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const target = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        // The path as given, percent-escapes and all: URL would normalise what a test means to send.
        path: req.url,
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          let json: unknown;
          if (/json/.test(res.headers['content-type'] ?? '')) {
            try {
              json = JSON.parse(bytes.toString('utf8'));
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes, json });
        });
        res.on('error', reject);
      },
    );
    // The server may answer and close before a large body is sent whole: the answer is what counts, and only no answer fails.
    let answered = false;
    let failure: Error | undefined;
    request.on('response', () => (answered = true));
    request.on('error', (e) => (failure ??= e));
    request.on('close', () => {
      if (!answered) reject(failure ?? new Error(`no answer to ${req.method} ${req.url}`));
    });
    request.setTimeout(120_000, () => request.destroy(new Error(`no answer to ${req.method} ${req.url} in 120 s`)));
    request.end(body);
  });
}

// A local scripted model server that speaks, well enough for the real CLIs, the Anthropic Messages API (Claude
// Code), the OpenAI Responses API (Codex CLI) and the Gemini API (Gemini CLI). Stateless per request; records
// every request (auth headers redacted) for assertions. Test support only: binds 127.0.0.1, never a real API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerMessages } from './model-apis/anthropic.ts';
import { answerGenerate } from './model-apis/gemini.ts';
import { answerResponses } from './model-apis/openai-responses.ts';
import type { ModelDecision, ModelScript, ModelTurn } from './model-apis/script.ts';
import { sendJson } from './model-apis/sse.ts';

export type { ModelScript, ModelToolCall, ModelTurn } from './model-apis/script.ts';

/** Which dialect a request spoke. */
export type ModelApi = 'anthropic' | 'openai-responses' | 'gemini' | 'other';

/**
 * One request as the server saw it. Secrets are never kept: auth headers and a `key` query read `[redacted]`.
 * `api`, `turn` and `toolResult` are filled in once the answer is sent (`other`, `unhandled`, null until then).
 */
export type RecordedRequest = {
  method: string;
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  path: string;
  api: ModelApi;
  turn: ModelTurn;
  headers: Record<string, string>;
  /** The parsed JSON body (`{ unparsed: <first 2000 chars> }` when not JSON, `null` when empty). */
  body: unknown;
  /** The tool output the CLI sent back in this request, as text (null if none): e.g. a denial message. */
  toolResult: string | null;
  /** When the whole request body had arrived, and when the answer was fully sent (epoch ms; null until then). */
  receivedAt: number;
  answeredAt: number | null;
};

export type ModelServer = {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** A copy of every request so far, oldest first. */
  requests(): RecordedRequest[];
  /** Close the server and every open connection. */
  stop(): Promise<void>;
};

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'x-goog-api-key', 'cookie']);

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, SECRET_HEADERS.has(name) ? '[redacted]' : String(value)]),
  );
}

function redactedPath(url: URL): string {
  if (url.searchParams.has('key')) url.searchParams.set('key', '[redacted]');
  return url.pathname + url.search;
}

function parseBody(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return { unparsed: raw.slice(0, 2000) };
  }
}

const NOT_FOUND: ModelDecision = { turn: 'unhandled', toolResult: null };

/** Route one request to its dialect; the small fixed endpoints (probe, token counts, model list) answer here. */
async function route(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  body: unknown,
  script: ModelScript,
  seq: number,
): Promise<[ModelApi, ModelDecision]> {
  const post = req.method === 'POST';
  if (req.method === 'HEAD') {
    res.writeHead(200).end(); // Claude Code's connectivity probe (HEAD /)
    return ['other', { turn: 'aux', toolResult: null }];
  }
  if (post && pathname.endsWith('/messages/count_tokens')) {
    sendJson(res, 200, { input_tokens: 100 });
    return ['anthropic', { turn: 'aux', toolResult: null }];
  }
  if (post && pathname.endsWith('/messages')) return ['anthropic', await answerMessages(body, script, res, seq)];
  if (post && pathname.endsWith('/responses')) return ['openai-responses', await answerResponses(body, script, res, seq)];
  if (post && pathname.endsWith(':streamGenerateContent')) return ['gemini', await answerGenerate(body, script, res, true)];
  if (post && pathname.endsWith(':generateContent')) return ['gemini', await answerGenerate(body, script, res, false)];
  if (post && pathname.endsWith(':countTokens')) {
    sendJson(res, 200, { totalTokens: 100 });
    return ['gemini', { turn: 'aux', toolResult: null }];
  }
  if (req.method === 'GET' && pathname.endsWith('/models')) {
    sendJson(res, 200, { object: 'list', data: [{ id: 'lab-model', object: 'model', created_at: '2025-01-01T00:00:00Z' }], models: [] });
    return ['other', { turn: 'aux', toolResult: null }];
  }
  sendJson(res, 404, { error: { type: 'not_found_error', message: `scripted model server: no route for ${req.method} ${pathname}` } });
  return ['other', NOT_FOUND];
}

/**
 * Start the server on 127.0.0.1 and a free port. Turn 1 (tools offered, no tool result yet) asks for
 * `script.toolCall`; a request holding a tool result gets `script.finalText` and ends the turn; requests without
 * tools get `script.auxText` or the JSON their schema asks for. A handler error answers 500 (or ends the stream).
 */
export async function startModelServer(script: ModelScript): Promise<ModelServer> {
  const recorded: RecordedRequest[] = [];
  let seq = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = parseBody(Buffer.concat(chunks).toString('utf8'));
      const entry: RecordedRequest = {
        method: req.method ?? '',
        path: redactedPath(url),
        api: 'other',
        turn: 'unhandled',
        headers: redactedHeaders(req),
        body,
        toolResult: null,
        receivedAt: Date.now(),
        answeredAt: null,
      };
      recorded.push(entry);
      seq += 1;
      route(req, res, url.pathname, body, script, seq)
        .then(([api, decision]) => Object.assign(entry, { api, ...decision, answeredAt: Date.now() }))
        .catch((error: unknown) => {
          if (res.headersSent) res.end();
          else sendJson(res, 500, { error: { message: `scripted model server: ${String(error)}` } });
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => recorded.map((entry) => ({ ...entry })),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

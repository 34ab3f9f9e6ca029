// The Anthropic Messages API as Claude Code 2.1.197 speaks it (POST /v1/messages?beta=true, SSE), answered by a
// ModelScript. Reads only the fields it needs from the body; the SSE shape is the one Claude Code accepted.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { decideTurn, DEFAULT_AUX_TEXT, describeCall, echoAnswer, resultText, sleep, type ModelDecision, type ModelScript } from './script.ts';
import { sendEvent, sendJson, startSse } from './sse.ts';

const ContentBlock = z.looseObject({ type: z.string(), content: z.unknown().optional(), text: z.string().optional() });
const MessagesBody = z.looseObject({
  model: z.string().default('claude'),
  stream: z.boolean().optional(),
  messages: z.array(z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(ContentBlock)]) })),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  system: z.unknown().optional(),
});
type MessagesBody = z.infer<typeof MessagesBody>;

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** The tool result in the last message, as text; null when the last message holds none. */
function lastToolResult(body: MessagesBody): string | null {
  const content = body.messages.at(-1)?.content;
  if (!Array.isArray(content)) return null;
  const results = content.filter((block) => block.type === 'tool_result');
  return results.length === 0 ? null : results.map((block) => resultText(block.content)).join('\n');
}

/**
 * The text of the newest user message (string content or its text blocks; Claude Code may append a `system` message
 * after it), or null when that message carries a tool result.
 */
function lastUserText(body: MessagesBody): string | null {
  const last = body.messages.findLast((message) => message.role === 'user');
  if (last === undefined) return null;
  if (typeof last.content === 'string') return last.content;
  if (last.content.some((block) => block.type === 'tool_result')) return null;
  return last.content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('\n');
}

/** The workspace from Claude Code's system prompt ("Primary working directory: /abs"), for absolute Write paths. */
function workingDirectory(body: MessagesBody): string | null {
  const match = /working directory:\s*(\/[^\s\\`'"]+)/i.exec(JSON.stringify(body.system ?? ''));
  return match?.[1] ?? null;
}

function toolUse(body: MessagesBody, script: ModelScript, id: string): Block {
  const call = script.toolCall;
  if (call.kind === 'shell') {
    return { type: 'tool_use', id, name: 'Bash', input: { command: call.command, description: describeCall(call) } };
  }
  const cwd = workingDirectory(body);
  const filePath = call.path.startsWith('/') || cwd === null ? call.path : `${cwd}/${call.path}`;
  return { type: 'tool_use', id, name: 'Write', input: { file_path: filePath, content: call.content } };
}

/**
 * Answer one Messages request: a Bash (or Write) tool call, the final text, or a short aux text.
 * A body that is not a Messages request gets a 400 `invalid_request_error` and the turn `unhandled`.
 */
export async function answerMessages(
  rawBody: unknown,
  script: ModelScript,
  res: ServerResponse,
  seq: number,
): Promise<ModelDecision> {
  const parsed = MessagesBody.safeParse(rawBody);
  if (!parsed.success) {
    sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: parsed.error.message } });
    return { turn: 'unhandled', toolResult: null };
  }
  const body = parsed.data;
  const toolResult = lastToolResult(body);
  const names = (body.tools ?? []).map((tool) => tool.name);
  const echo = echoAnswer(script, lastUserText(body));
  const turn = decideTurn(names.includes('Bash') || names.includes('Write'), toolResult, echo);
  const text = turn === 'final' ? script.finalText : turn === 'echo' && echo !== null ? echo : (script.auxText ?? DEFAULT_AUX_TEXT);
  const blocks: Block[] =
    turn === 'tool-call'
      ? [{ type: 'text', text: 'I will do that now.' }, toolUse(body, script, `toolu_${seq}`)]
      : [{ type: 'text', text }];
  if (turn !== 'aux' && script.delayMs) await sleep(script.delayMs);

  const stopReason = turn === 'tool-call' ? 'tool_use' : 'end_turn';
  const usage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const message = { id: `msg_${seq}`, type: 'message', role: 'assistant', model: body.model, stop_sequence: null };
  if (body.stream !== true) {
    sendJson(res, 200, { ...message, content: blocks, stop_reason: stopReason, usage });
    return { turn, toolResult };
  }
  startSse(res);
  const started = { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } };
  sendEvent(res, 'message_start', { type: 'message_start', message: started });
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      sendEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      sendEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
    } else {
      sendEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } });
      const delta = { type: 'input_json_delta', partial_json: JSON.stringify(block.input) };
      sendEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta });
    }
    sendEvent(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  const delta = { stop_reason: stopReason, stop_sequence: null };
  sendEvent(res, 'message_delta', { type: 'message_delta', delta, usage: { output_tokens: 20 } });
  sendEvent(res, 'message_stop', { type: 'message_stop' });
  res.end();
  return { turn, toolResult };
}

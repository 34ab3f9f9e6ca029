// The OpenAI Responses API as Codex CLI 0.169.0 speaks it (POST /v1/responses, SSE), answered by a ModelScript.
// Codex offers `exec_command` (no write tool), so a scripted file write becomes a shell command.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { decideTurn, DEFAULT_AUX_TEXT, describeCall, echoAnswer, resultText, asShellCommand, sleep } from './script.ts';
import type { ModelDecision, ModelScript } from './script.ts';
import { sendEvent, sendJson, startSse } from './sse.ts';

const ResponsesBody = z.looseObject({
  model: z.string().default('lab-model'),
  stream: z.boolean().optional(),
  input: z.union([
    z.string(),
    z.array(
      z.looseObject({
        type: z.string().optional(),
        role: z.string().optional(),
        output: z.unknown().optional(),
        content: z.union([z.string(), z.array(z.looseObject({ type: z.string().optional(), text: z.string().optional() }))]).optional(),
      }),
    ),
  ]),
  tools: z.array(z.looseObject({ type: z.string().optional(), name: z.string().optional() })).optional(),
});

const SHELL_TOOLS = ['exec_command', 'shell_command', 'shell'];

type Item =
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'completed' }
  | { type: 'message'; id: string; role: 'assistant'; status: 'completed'; content: { type: 'output_text'; text: string; annotations: [] }[] };

/**
 * Arguments for the shell tool Codex offered. `sandbox_permissions: require_escalated` makes Codex ask the user
 * under `approval_policy = on-request` + `sandbox_mode = read-only` (FINDINGS §2.2).
 */
function shellArguments(name: string, script: ModelScript): Record<string, unknown> {
  const command = asShellCommand(script.toolCall);
  const escalate = { sandbox_permissions: 'require_escalated', justification: describeCall(script.toolCall) };
  if (name === 'exec_command') return { cmd: command, ...escalate };
  if (name === 'shell') return { command: ['bash', '-lc', command], ...escalate };
  return { command, ...escalate };
}

/** Answer one Responses request: one shell function call, the final message, or a short aux message. */
export async function answerResponses(
  rawBody: unknown,
  script: ModelScript,
  res: ServerResponse,
  seq: number,
): Promise<ModelDecision> {
  const parsed = ResponsesBody.safeParse(rawBody);
  if (!parsed.success) {
    sendJson(res, 400, { error: { type: 'invalid_request_error', message: parsed.error.message } });
    return { turn: 'unhandled', toolResult: null };
  }
  const body = parsed.data;
  const items = typeof body.input === 'string' ? [] : body.input;
  const outputs = items.filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output');
  const toolResult = outputs.length === 0 ? null : outputs.map((item) => resultText(item.output)).join('\n');
  const names = (body.tools ?? []).map((tool) => tool.name);
  const shellTool = names.find((name) => name !== undefined && SHELL_TOOLS.includes(name));
  const last = typeof body.input === 'string' ? { role: 'user', content: body.input } : items.at(-1);
  const userText =
    last?.role !== 'user' || last.content === undefined
      ? null
      : typeof last.content === 'string'
        ? last.content
        : last.content.map((part) => part.text ?? '').join('\n');
  const echo = echoAnswer(script, userText);
  const turn = decideTurn(shellTool !== undefined, toolResult, echo);
  if (turn !== 'aux' && script.delayMs) await sleep(script.delayMs);

  const text = turn === 'final' ? script.finalText : turn === 'echo' && echo !== null ? echo : (script.auxText ?? DEFAULT_AUX_TEXT);
  const item: Item =
    turn === 'tool-call' && shellTool !== undefined
      ? {
          type: 'function_call',
          id: `fc_${seq}`,
          call_id: `call_${seq}`,
          name: shellTool,
          arguments: JSON.stringify(shellArguments(shellTool, script)),
          status: 'completed',
        }
      : {
          type: 'message',
          id: `msg_${seq}`,
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text, annotations: [] }],
        };
  const usage = {
    input_tokens: 100,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 20,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 120,
  };
  const createdAt = Math.floor(Date.now() / 1000);
  const response = { id: `resp_${seq}`, object: 'response', created_at: createdAt, status: 'completed', model: body.model, output: [item], usage };
  if (body.stream === false) {
    sendJson(res, 200, response);
    return { turn, toolResult };
  }
  startSse(res);
  sendEvent(res, 'response.created', { type: 'response.created', response: { ...response, status: 'in_progress', output: [] } });
  const added = (partial: unknown): void =>
    sendEvent(res, 'response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: partial });
  if (item.type === 'message') {
    added({ ...item, status: 'in_progress', content: [] });
    const delta = { type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta: text };
    sendEvent(res, 'response.output_text.delta', delta);
  } else {
    added({ ...item, arguments: '' });
  }
  sendEvent(res, 'response.output_item.done', { type: 'response.output_item.done', output_index: 0, item });
  sendEvent(res, 'response.completed', { type: 'response.completed', response });
  res.end();
  return { turn, toolResult };
}

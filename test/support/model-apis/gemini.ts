// The Gemini API as Gemini CLI 0.61.0 speaks it (models/*:generateContent, :streamGenerateContent?alt=sse),
// answered by a ModelScript. Calls that ask for JSON (the model router) get JSON that fits their schema.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { asShellCommand, decideTurn, DEFAULT_AUX_TEXT, describeCall, echoAnswer, sleep, type ModelDecision, type ModelScript } from './script.ts';
import { sendEvent, sendJson, startSse } from './sse.ts';

const Part = z.looseObject({ text: z.string().optional(), functionResponse: z.looseObject({ response: z.unknown().optional() }).optional() });
const GenerateBody = z.looseObject({
  contents: z.array(z.looseObject({ role: z.string().optional(), parts: z.array(Part).default([]) })),
  tools: z.array(z.looseObject({ functionDeclarations: z.array(z.looseObject({ name: z.string() })).optional() })).optional(),
  generationConfig: z
    .looseObject({ responseMimeType: z.string().optional(), responseJsonSchema: z.unknown().optional(), responseSchema: z.unknown().optional() })
    .optional(),
});
type GenerateBody = z.infer<typeof GenerateBody>;

const JsonSchema = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  enum: z.array(z.unknown()).optional(),
  minimum: z.number().optional(),
});

/** Answers for the side calls seen in 0.61.0, by property name; the rest is filled from the schema's types. */
const KNOWN_FIELDS: Record<string, unknown> = {
  next_speaker: 'user',
  model_choice: 'flash',
  complexity_score: 5,
  reasoning: 'A scripted test answer.',
  complexity_reasoning: 'A scripted test answer.',
};

/** A value that satisfies a (JSON or OpenAPI-style) schema: known fields first, then by type. */
function sampleFor(schema: unknown, field?: string): unknown {
  if (field !== undefined && field in KNOWN_FIELDS) return KNOWN_FIELDS[field];
  const parsed = JsonSchema.safeParse(schema);
  if (!parsed.success) return null;
  const s = parsed.data;
  if (s.enum && s.enum.length > 0) return s.enum.includes('user') ? 'user' : s.enum[0];
  const type = (Array.isArray(s.type) ? s.type[0] : s.type)?.toLowerCase();
  if (type === 'object' || s.properties) {
    return Object.fromEntries(Object.entries(s.properties ?? {}).map(([key, sub]) => [key, sampleFor(sub, key)]));
  }
  if (type === 'array') return [];
  if (type === 'number' || type === 'integer') return s.minimum ?? 1;
  if (type === 'boolean') return false;
  return 'ok';
}

function parts(body: GenerateBody, script: ModelScript, turn: ModelDecision['turn'], names: string[], echo: string | null): unknown[] {
  const call = script.toolCall;
  if (turn === 'tool-call') {
    if (call.kind === 'write' && names.includes('write_file')) {
      return [{ functionCall: { name: 'write_file', args: { file_path: call.path, content: call.content } } }];
    }
    const command = asShellCommand(call);
    return [{ text: 'I will do that now.' }, { functionCall: { name: 'run_shell_command', args: { command, description: describeCall(call) } } }];
  }
  if (turn === 'final') return [{ text: script.finalText }];
  if (turn === 'echo' && echo !== null) return [{ text: echo }];
  const config = body.generationConfig;
  if (config?.responseMimeType?.includes('json')) {
    return [{ text: JSON.stringify(sampleFor(config.responseJsonSchema ?? config.responseSchema ?? {})) }];
  }
  return [{ text: script.auxText ?? DEFAULT_AUX_TEXT }];
}

/** Answer one generateContent (stream = false) or streamGenerateContent (stream = true, one SSE event) request. */
export async function answerGenerate(rawBody: unknown, script: ModelScript, res: ServerResponse, stream: boolean): Promise<ModelDecision> {
  const parsed = GenerateBody.safeParse(rawBody);
  if (!parsed.success) {
    sendJson(res, 400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: parsed.error.message } });
    return { turn: 'unhandled', toolResult: null };
  }
  const body = parsed.data;
  const responses = (body.contents.at(-1)?.parts ?? []).flatMap((part) => (part.functionResponse ? [part.functionResponse] : []));
  const toolResult = responses.length === 0 ? null : responses.map((response) => JSON.stringify(response.response ?? null)).join('\n');
  const names = (body.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name);
  const last = body.contents.at(-1);
  const userText = last?.role === 'user' && responses.length === 0 ? last.parts.map((part) => part.text ?? '').join('\n') : null;
  const echo = echoAnswer(script, userText);
  const turn = decideTurn(names.includes('run_shell_command') || names.includes('write_file'), toolResult, echo);
  if (turn !== 'aux' && script.delayMs) await sleep(script.delayMs);

  const answer = {
    candidates: [{ content: { role: 'model', parts: parts(body, script, turn, names, echo) }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
    modelVersion: 'lab-model',
  };
  if (!stream) {
    sendJson(res, 200, answer);
    return { turn, toolResult };
  }
  startSse(res);
  sendEvent(res, null, answer, '\r\n');
  res.end();
  return { turn, toolResult };
}

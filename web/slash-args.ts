// The arguments of /model and /switch: which model names to suggest per backend, whether a typed name may be sent
// (protocol ModelName), and which backend a typed word means among those the agents offer. Pure.
import { Backend, ModelName } from '../protocol/index.ts';

/**
 * Common model names each AI CLI accepts for `--model` (aliases where the CLI has them). Suggestions only: any
 * ModelName can be typed, and the CLI decides what exists.
 */
export const MODEL_SUGGESTIONS: Readonly<Record<Exclude<Backend, 'shell'>, readonly string[]>> = {
  claude: ['sonnet', 'opus', 'haiku'],
  codex: ['gpt-5-codex', 'gpt-5', 'gpt-5-mini'],
  gemini: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite'],
};

/** Whether `backend` takes a model (the AI CLIs do; the shell does not: CreateTaskRequest refuses it). */
export const takesModel = (backend: string): backend is Exclude<Backend, 'shell'> =>
  backend === 'claude' || backend === 'codex' || backend === 'gemini';

/** The suggestions for `backend`, none for the shell or an unknown name. */
export const modelSuggestions = (backend: string): readonly string[] => (takesModel(backend) ? MODEL_SUGGESTIONS[backend] : []);

export type ArgResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** `/model <name>` for the selected `backend`: the name when it is a ModelName and the backend takes one. */
export function modelArg(name: string, backend: string): ArgResult<string> {
  if (!takesModel(backend)) return { ok: false, message: `The ${backend || 'selected'} backend takes no model — /switch to an AI CLI first.` };
  const parsed = ModelName.safeParse(name);
  if (!parsed.success) return { ok: false, message: `“${name}” is not a model name: letters, digits and "._:/-", at most 64.` };
  return { ok: true, value: parsed.data };
}

/** `/switch <backend>`: the backend (case-insensitive) when one of the agents offers it. */
export function backendArg(word: string, offered: readonly string[]): ArgResult<Backend> {
  const list = offered.length ? offered.join(', ') : 'none';
  const parsed = Backend.safeParse(word.toLowerCase());
  if (!parsed.success) return { ok: false, message: `Unknown backend “${word}” — offered: ${list}.` };
  if (!offered.includes(parsed.data)) return { ok: false, message: `The home agent does not offer ${parsed.data} — offered: ${list}.` };
  return { ok: true, value: parsed.data };
}

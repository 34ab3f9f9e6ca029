// Gemini CLI's tool names (docs/cli-backends.md §3.2) → Classified. Pure. Unknown tools (MCP, agents, …) ask.
import { fileCall, firstText, otherCall, shellCall, text, type Classified, type ToolInput } from './tool-call.ts';

/** The tools the Gemini launcher routes through the BeforeTool hook (and lets its --policy allow). */
export const GEMINI_GATED_TOOLS = ['run_shell_command', 'write_file', 'replace', 'web_fetch', 'google_web_search'] as const;

export function classifyGeminiTool(tool: string, input: ToolInput): Classified {
  switch (tool) {
    case 'run_shell_command':
      return shellCall(text(input, 'command'), firstText(input, 'dir_path', 'directory'));
    case 'write_file':
    case 'replace':
    case 'edit':
      return fileCall('write', input, 'file_path', 'absolute_path');
    case 'read_file':
      return fileCall('read', input, 'file_path', 'absolute_path');
    case 'read_many_files': {
      const paths = Array.isArray(input.paths) ? input.paths.filter((p): p is string => typeof p === 'string') : [];
      return paths.length > 0 ? { kind: 'read', paths, summary: paths.join(', ') } : otherCall(tool, input);
    }
    case 'list_directory':
    case 'glob':
    case 'grep_search':
    case 'search_file_content':
      return fileCall('read', input, 'dir_path', 'path');
    case 'web_fetch':
      return { kind: 'fetch', paths: [], summary: firstText(input, 'url', 'prompt') ?? 'web_fetch' };
    case 'google_web_search':
      return { kind: 'fetch', paths: [], summary: `search: ${firstText(input, 'query') ?? ''}` };
    default:
      return otherCall(tool, input);
  }
}

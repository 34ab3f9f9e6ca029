// Claude Code's tool names (docs/cli-backends.md §1.5) → Classified. Pure. Unknown tools (MCP, Task, …) ask.
import { fileCall, firstText, otherCall, shellCall, text, type Classified, type ToolInput } from './tool-call.ts';

export function classifyClaudeTool(tool: string, input: ToolInput): Classified {
  switch (tool) {
    case 'Bash':
      return shellCall(text(input, 'command'));
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
      return fileCall('write', input, 'file_path');
    case 'NotebookEdit':
      return fileCall('write', input, 'notebook_path', 'file_path');
    case 'Read':
      return fileCall('read', input, 'file_path');
    case 'NotebookRead':
      return fileCall('read', input, 'notebook_path', 'file_path');
    case 'Glob':
    case 'Grep':
    case 'LS':
      return fileCall('read', input, 'path');
    case 'WebFetch':
      return { kind: 'fetch', paths: [], summary: firstText(input, 'url') ?? 'WebFetch' };
    case 'WebSearch':
      return { kind: 'fetch', paths: [], summary: `search: ${firstText(input, 'query') ?? ''}` };
    default:
      return otherCall(tool, input);
  }
}

// Codex CLI's PermissionRequest tool names (docs/cli-backends.md §2.5): `Bash` for every shell/exec approval.
// Pure. Anything else (patches, MCP) asks.
import { commandText, fileCall, otherCall, shellCall, text, type Classified, type ToolInput } from './tool-call.ts';

export function classifyCodexTool(tool: string, input: ToolInput): Classified {
  switch (tool) {
    case 'Bash':
    case 'exec_command':
    case 'shell':
      return shellCall(commandText(input.command ?? input.cmd), text(input, 'workdir'));
    case 'apply_patch': {
      const patch = text(input, 'patch') ?? text(input, 'input') ?? '';
      const paths = [...patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)].map((m) => m[1]!.trim());
      return paths.length > 0 ? { kind: 'write', paths, summary: paths.join(', ') } : otherCall(tool, input);
    }
    case 'Write':
    case 'Edit':
      return fileCall('write', input, 'file_path', 'path');
    default:
      return otherCall(tool, input);
  }
}

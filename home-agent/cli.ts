// The `hearth` entry point, wiring only: `hearth hook …` goes to the fail-closed hook process before anything
// else loads (hook-main.ts); every other command goes to commander (cli-commands.ts).
if (process.argv[2] === 'hook') {
  try {
    const { hookMain } = await import('./hook-main.ts');
    await hookMain(process.argv.slice(3));
  } catch (error) {
    // Even the hook module failed to load: a deny every supported CLI reads as deny.
    const reason = `Hearth: the hook could not start: ${error instanceof Error ? error.message : String(error)}`;
    process.stdout.write(`${JSON.stringify({ decision: 'deny', reason, hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: reason } } })}\n`);
  }
} else {
  await import('./cli-commands.ts');
}

export {};

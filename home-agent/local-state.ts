// What the agent must not lose across its own restart (DESIGN.md rule 11): which task runs in which tmux window,
// each task's next seq and outbox of frames the room has not acked, a finish still to deliver, and the windows held
// open for a follow-up until when. SQLite, 0600.
import { closeSync, chmodSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { Backend, FinishRequest, PaneFrame, type PaneBody } from '../protocol/index.ts';

export const LocalTask = z.object({
  taskId: z.string(),
  windowId: z.string(),
  paneId: z.string(),
  panePid: z.number().int(),
  workspace: z.string(),
  backend: Backend,
  promptFile: z.string(),
  /**
   * running: the program may still run; finishing: it ended and `finish` waits to be delivered; open: an AI CLI's
   * turn succeeded and its window is kept for a follow-up until `openUntil` (`finish`, when set, is that turn's
   * finish still to deliver).
   */
  status: z.enum(['running', 'finishing', 'open']),
  finish: FinishRequest.nullable(),
  /** Epoch ms at which an open window is closed (null unless `status` is open). */
  openUntil: z.number().int().nullable(),
  startedAt: z.number().int(),
  /** The secret `hearth hook` must present for this task (null for tasks started before hooks existed: all denied). */
  hookToken: z.string().nullable(),
});
export type LocalTask = z.infer<typeof LocalTask>;

export type LocalState = {
  tasks(): LocalTask[];
  task(taskId: string): LocalTask | undefined;
  addTask(task: Omit<LocalTask, 'status' | 'finish' | 'hookToken' | 'openUntil'> & { hookToken?: string | null }): void;
  /** Record the outcome to deliver; survives a restart until removeTask. */
  setFinishing(taskId: string, finish: FinishRequest): void;
  /** The window is held open until `openUntil` (epoch ms); `finish` is the turn's finish while not yet delivered. */
  setOpen(taskId: string, openUntil: number, finish: FinishRequest | null): void;
  /** A follow-up was taken: the task runs again (no finish, no deadline). */
  setRunning(taskId: string): void;
  /** Forget a task and its outbox. */
  removeTask(taskId: string): void;
  /** Give `body` the task's next seq, store it in the outbox, and return the frame. */
  enqueueFrame(taskId: string, body: PaneBody): PaneFrame;
  /** Unacked frames of every task, oldest first within each task. */
  outbox(): PaneFrame[];
  outboxSize(taskId: string): number;
  /** The room applied every frame up to `seq`: drop them. */
  ack(taskId: string, seq: number): void;
  close(): void;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tasks (
  task_id TEXT PRIMARY KEY, window_id TEXT NOT NULL, pane_id TEXT NOT NULL, pane_pid INTEGER NOT NULL,
  workspace TEXT NOT NULL, backend TEXT NOT NULL, prompt_file TEXT NOT NULL, status TEXT NOT NULL,
  finish TEXT, started_at INTEGER NOT NULL, next_seq INTEGER NOT NULL DEFAULT 1, hook_token TEXT, open_until INTEGER
);
CREATE TABLE IF NOT EXISTS outbox (
  task_id TEXT NOT NULL, seq INTEGER NOT NULL, frame TEXT NOT NULL, PRIMARY KEY (task_id, seq)
);`;

type TaskRow = {
  task_id: string; window_id: string; pane_id: string; pane_pid: number; workspace: string; backend: string;
  prompt_file: string; status: string; finish: string | null; started_at: number; hook_token: string | null;
  open_until: number | null;
};

function toTask(row: TaskRow): LocalTask {
  return LocalTask.parse({
    taskId: row.task_id, windowId: row.window_id, paneId: row.pane_id, panePid: row.pane_pid,
    workspace: row.workspace, backend: row.backend, promptFile: row.prompt_file, status: row.status,
    finish: row.finish === null ? null : JSON.parse(row.finish), startedAt: row.started_at,
    hookToken: row.hook_token ?? null, openUntil: row.open_until ?? null,
  });
}

/** Open (creating if needed, mode 0600) the state database at `file`. */
export function openLocalState(file: string): LocalState {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  // State files from before hooks (and before open windows) lack the columns.
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(tasks)').all();
  if (!columns.some((c) => c.name === 'hook_token')) db.exec('ALTER TABLE tasks ADD COLUMN hook_token TEXT');
  if (!columns.some((c) => c.name === 'open_until')) db.exec('ALTER TABLE tasks ADD COLUMN open_until INTEGER');

  const selectTasks = db.prepare<[], TaskRow>('SELECT * FROM tasks ORDER BY started_at');
  const selectTask = db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE task_id = ?');
  const insertTask = db.prepare(
    `INSERT INTO tasks (task_id, window_id, pane_id, pane_pid, workspace, backend, prompt_file, status, started_at, hook_token)
     VALUES (@taskId, @windowId, @paneId, @panePid, @workspace, @backend, @promptFile, 'running', @startedAt, @hookToken)`,
  );
  const updateFinishing = db.prepare("UPDATE tasks SET status = 'finishing', finish = ?, open_until = NULL WHERE task_id = ?");
  const updateOpen = db.prepare("UPDATE tasks SET status = 'open', open_until = ?, finish = ? WHERE task_id = ?");
  const updateRunning = db.prepare("UPDATE tasks SET status = 'running', open_until = NULL, finish = NULL WHERE task_id = ?");
  const deleteTask = db.prepare('DELETE FROM tasks WHERE task_id = ?');
  const deleteOutbox = db.prepare('DELETE FROM outbox WHERE task_id = ?');
  const takeSeq = db.prepare<[string], { seq: number }>(
    'UPDATE tasks SET next_seq = next_seq + 1 WHERE task_id = ? RETURNING next_seq - 1 AS seq',
  );
  const insertFrame = db.prepare('INSERT INTO outbox (task_id, seq, frame) VALUES (?, ?, ?)');
  const selectOutbox = db.prepare<[], { frame: string }>('SELECT frame FROM outbox ORDER BY task_id, seq');
  const countOutbox = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbox WHERE task_id = ?');
  const deleteAcked = db.prepare('DELETE FROM outbox WHERE task_id = ? AND seq <= ?');

  const enqueue = db.transaction((taskId: string, body: PaneBody): PaneFrame => {
    const row = takeSeq.get(taskId);
    if (!row) throw new Error(`no local task ${taskId}`);
    const frame: PaneFrame = { type: 'pane', taskId, seq: row.seq, body };
    insertFrame.run(taskId, row.seq, JSON.stringify(frame));
    return frame;
  });
  const remove = db.transaction((taskId: string) => {
    deleteOutbox.run(taskId);
    deleteTask.run(taskId);
  });

  return {
    tasks: () => selectTasks.all().map(toTask),
    task: (taskId) => {
      const row = selectTask.get(taskId);
      return row ? toTask(row) : undefined;
    },
    addTask: (task) => void insertTask.run({ ...task, hookToken: task.hookToken ?? null }),
    setFinishing: (taskId, finish) => void updateFinishing.run(JSON.stringify(finish), taskId),
    setOpen: (taskId, openUntil, finish) => void updateOpen.run(openUntil, finish === null ? null : JSON.stringify(finish), taskId),
    setRunning: (taskId) => void updateRunning.run(taskId),
    removeTask: (taskId) => remove(taskId),
    enqueueFrame: (taskId, body) => enqueue(taskId, body),
    outbox: () => selectOutbox.all().map((r) => PaneFrame.parse(JSON.parse(r.frame))),
    outboxSize: (taskId) => countOutbox.get(taskId)?.n ?? 0,
    ack: (taskId, seq) => void deleteAcked.run(taskId, seq),
    close: () => db.close(),
  };
}

import { defineConfig } from 'drizzle-kit';

// drizzle-kit generates D1 SQL migrations from the schema; wrangler applies them (local, remote, tests).
export default defineConfig({
  dialect: 'sqlite',
  schema: './worker/db/schema.ts',
  out: './migrations',
});

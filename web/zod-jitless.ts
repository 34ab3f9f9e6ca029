// The phone app's first import: turns off zod's JIT before any schema is built. The JIT probes `new Function` while
// schemas are made, which the CSP (script-src 'self', no 'unsafe-eval') blocks and reports as a violation.
import { z } from 'zod';

z.config({ jitless: true });

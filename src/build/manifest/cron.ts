import * as z from 'zod';
import { resolveDynoSize } from '../../config/index.js';
import { parseCronSchedule } from '../../shared/cron.js';
import { errorMessage } from '../../shared/errors.js';

/** Checks a value with a function that throws a user-facing error, as a zod refinement. */
const checkedBy = (check: (v: string) => unknown) => (v: string, ctx: z.RefinementCtx) => {
  try {
    check(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: errorMessage(e) });
  }
};

/**
 * A `.cupaas` `cron:` entry: `{schedule: "*\/10 * * * *", command: "python3 task.py", size?}`,
 * checked as `cron:add` checks it (standard cron syntax, UTC).
 */
export const CronEntry = z.lazy(() =>
  z
    .object({
      schedule: z.string().superRefine(checkedBy(parseCronSchedule)),
      command: z.string().trim().min(1, 'expected the command to run, e.g. "python3 task.py"'),
      size: z.string().superRefine(checkedBy(resolveDynoSize)).optional(),
    })
    .strict());

export type CronEntry = z.infer<typeof CronEntry>;

import * as z from 'zod';
import { canonicalService, describeServices, serviceOfPlan } from '../../domain/index.js';

const unknown = (what: string, supported: readonly string[]) => ({ message: `unknown ${what}; supported: ${describeServices(supported)}` });

/** A `.cupaas` service: a supported service's name or alias, read as its canonical name. */
export const ServiceEntry = (supported: readonly string[]) =>
  z
    .string()
    .refine((s) => supported.includes(canonicalService(s) ?? ''), unknown('service', supported))
    .transform((s) => canonicalService(s) ?? s);

/** An app.json add-on plan (`heroku-postgresql:essential-0`), kept as written: only its service must be supported. */
export const AddonPlanEntry = (supported: readonly string[]) =>
  z.string().refine((plan) => supported.includes(serviceOfPlan(plan) ?? ''), unknown('add-on', supported));

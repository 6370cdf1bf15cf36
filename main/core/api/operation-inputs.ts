// The inputs many of the contract's operations share: none at all, or the id of one waiting
// request. Declared once so every domain's contract file refuses extra keys in the same words.
import { z } from 'zod';

/** The input of an operation that takes nothing; extra keys are refused. */
export const empty = z.object({}).strict();

/** The input of an operation on one waiting request (a consent, registration or approval) by its id. */
export const idInput = z.object({ id: z.string().min(1, 'an id is required') }).strict();

import { RunError } from '../errors.js';

/** Exit 1 after a completed run: some drafts failed, or the budget or --fail-fast stopped it early. */
export class BatchFailedError extends RunError {}

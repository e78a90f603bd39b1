import { RunError } from '../errors.js';

/** Exit 1: `draft check` found problems (they are already printed, one a line). */
export class CheckFailedError extends RunError {}

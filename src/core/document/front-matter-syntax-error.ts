/** How the format engines report a syntax error so it can be mapped back to a file position. */

/** Thrown by the engines with a position inside the block's inner text. */
export class EngineSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

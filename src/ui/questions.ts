/** The questions commands ask on a terminal (inquirer), and how an interrupted one becomes Ctrl-C. */
import { InterruptedError } from '../core/errors.js';
import type { TitleProposal } from '../core/revise/title-proposals.js';
import type { Ui } from './ui.js';

/** Inquirer reports Ctrl-C and an aborted signal as its own errors; the CLI knows them as interrupts. */
export async function asking<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new InterruptedError();
    throw error;
  }
}

/** Asks whether to write the revision just shown. Only called when stdin is a terminal. */
export async function confirmApply(message: string, signal: AbortSignal): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return asking(() => confirm({ message, default: true }, { signal }));
}

/** Lets the editor pick one of the proposed titles, or keep the current one (undefined). */
export async function pickTitle(ui: Ui, current: string, proposals: TitleProposal[], signal: AbortSignal): Promise<number | undefined> {
  const { select } = await import('@inquirer/prompts');
  ui.info(`Current title: ${current}`);
  const choice = await asking(() =>
    select<number>(
      {
        message: 'Pick a title',
        choices: [
          ...proposals.map((p, i) => ({ name: `${i + 1}. ${p.title}`, value: i, description: p.rationale })),
          { name: 'Keep the current title', value: -1 },
        ],
      },
      { signal },
    ),
  );
  return choice === -1 ? undefined : choice;
}

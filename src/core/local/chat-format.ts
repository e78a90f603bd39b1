import type { ChatHistoryItem, ChatWrapper, LlamaModel } from 'node-llama-cpp';
import type { ChatMessage } from '../provider/types.js';
import type { NodeLlamaCpp } from './load-binding.js';

export interface ChosenChatFormat {
  wrapper: ChatWrapper;
  /** For --debug: which format and why. */
  description: string;
}

/**
 * The model's own chat template from its GGUF metadata (node-llama-cpp maps a known Jinja
 * template to its built-in equivalent, which also understands thinking segments). A file with no
 * template (base models, tiny test models) gets the plain format below, so prompts still have
 * roles:
 *
 *     <system text>
 *
 *     ### Human
 *     <user text>
 *
 *     ### Assistant
 *     <reply>
 */
export function chooseChatFormat(lib: NodeLlamaCpp, model: LlamaModel): ChosenChatFormat {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  if (typeof template === 'string' && template.trim() !== '') {
    const wrapper = lib.resolveChatWrapper(model, { warningLogs: false });
    return { wrapper, description: `chat template from the GGUF file (${wrapper.wrapperName})` };
  }
  return {
    wrapper: new lib.GeneralChatWrapper(),
    description: 'no chat template in the GGUF file; plain "### Human / ### Assistant" format',
  };
}

/** The request's messages, ending with the empty model turn that generation fills in. */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    if (m.role === 'system') return { type: 'system', text: m.content };
    if (m.role === 'user') return { type: 'user', text: m.content };
    return { type: 'model', response: [m.content] };
  });
  history.push({ type: 'model', response: [] });
  return history;
}

import type { Template } from '../templates/template.js';

export interface ReviseTemplates {
  section: Template;
  addSection: Template;
  title: Template;
  seo: Template;
  link: Template;
}

/** Loaded up front, so a missing or broken override fails before anything is spent on the model. */
export async function loadReviseTemplates(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ReviseTemplates> {
  const { requireTemplate } = await import('../templates/load-templates.js');
  const [section, addSection, title, seo, link] = await Promise.all([
    requireTemplate('revise-section', options),
    requireTemplate('revise-add-section', options),
    requireTemplate('revise-title', options),
    requireTemplate('revise-seo', options),
    requireTemplate('link', options),
  ]);
  return { section, addSection, title, seo, link };
}

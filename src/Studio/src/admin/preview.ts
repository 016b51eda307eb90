/** Sample values for a canned response's placeholders, as the server fills them for a real conversation. */
export const sampleModel: Record<string, unknown> = {
  contact: { name: 'Maria Rossi', email: 'maria@example.com', phone: '+39 055 123456', company: 'Rossi Srl', attributes: { plan: 'gold' } },
  agent: { name: 'Ada' },
};

export const cannedPlaceholders = ['{{ contact.name }}', '{{ contact.company }}', '{{ contact.email }}', '{{ agent.name }}'];

function lookup(model: Record<string, unknown>, path: string): unknown {
  let value: unknown = model;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export type Preview = { ok: true; text: string } | { ok: false; message: string };

/**
 * A preview of the Liquid text with sample values: `{{ path }}` and the `default` filter, unknown names empty
 * (as Liquid renders them). Tags (`{% %}`) are shown as written; the server renders the real thing.
 */
export function previewTemplate(text: string, model: Record<string, unknown> = sampleModel): Preview {
  const open = (text.match(/\{\{/g) ?? []).length;
  const close = (text.match(/\}\}/g) ?? []).length;
  if (open !== close) return { ok: false, message: 'A placeholder is not closed: every {{ needs its }}.' };
  let bad: string | null = null;
  const out = text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const [path, ...filters] = expression.split('|').map(s => s.trim());
    if (!/^[A-Za-z_][\w.]*$/.test(path)) {
      bad = `'${expression}' is not a placeholder name.`;
      return '';
    }
    let value = lookup(model, path);
    for (const filter of filters) {
      const m = /^default\s*:\s*(['"])(.*)\1$/.exec(filter);
      if (m && (value === undefined || value === null || value === '')) value = m[2];
    }
    return value === undefined || value === null ? '' : String(value);
  });
  return bad ? { ok: false, message: bad } : { ok: true, text: out };
}

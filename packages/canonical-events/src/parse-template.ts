/** A piece of a parsed popup template. */
export type TemplateNode =
  | { kind: 'text'; text: string }
  | {
      kind: 'value';
      /** The field as written (`city`, `template.city`), or the whole tag when it is no field syntax. */
      name: string;
      /** The tag as written between the braces, trimmed (`city | nearby`). */
      source: string;
      /** The whole placeholder as written, braces included. */
      raw: string;
      /** The fallback written after `|`, when there is one. */
      fallback: string | undefined;
    }
  | { kind: 'section'; name: string; source: string; inverted: boolean; children: TemplateNode[] };

/**
 * Splits a template into text, `{{value}}` placeholders and `{{#x}}…{{/x}}` / `{{^x}}…{{/x}}`
 * sections, in time linear in its length: every character is scanned a bounded number of times,
 * whatever the template (`"{{"` followed by a million spaces included). A closing tag that
 * matches no open section is kept as a value placeholder of that name, so it is reported as
 * unknown; a section left open ends with the template.
 */
/** Sections nest at most this deep; deeper section tags are plain (unknown) placeholders, so rendering never recurses without bound. */
export const MAX_SECTION_DEPTH = 16;

export function parseTemplate(template: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const open: Array<{ name: string; children: TemplateNode[] }> = [{ name: '', children: root }];
  let children = root;
  let position = 0;
  const text = (end: number) => {
    if (end > position) children.push({ kind: 'text', text: template.slice(position, end) });
  };
  while (position < template.length) {
    const first = template.indexOf('{{', position);
    if (first < 0) break;
    const close = template.indexOf('}}', first + 2);
    if (close < 0) break;
    // The tag is the innermost `{{ … }}`: `{{{{x}}` is the text `{{` then `{{x}}`.
    const start = template.lastIndexOf('{{', close - 2);
    const inner = template.slice(start + 2, close);
    if (/[{}]/.test(inner)) {
      text(close + 2);
      position = close + 2;
      continue;
    }
    text(start);
    position = close + 2;
    const source = inner.trim();
    const sigil = source[0];
    if ((sigil === '#' || sigil === '^') && open.length <= MAX_SECTION_DEPTH) {
      const section = { kind: 'section' as const, name: source.slice(1).trim(), source, inverted: sigil === '^', children: [] };
      children.push(section);
      open.push(section);
      children = section.children;
    } else if (sigil === '/' && open.length > 1 && open[open.length - 1]?.name === source.slice(1).trim()) {
      open.pop();
      children = (open[open.length - 1] as { children: TemplateNode[] }).children;
    } else {
      const bar = source.indexOf('|');
      children.push({
        kind: 'value',
        name: bar < 0 ? source : source.slice(0, bar).trim(),
        source,
        raw: template.slice(start, close + 2),
        fallback: bar < 0 ? undefined : source.slice(bar + 1).trim(),
      });
    }
  }
  text(template.length);
  return root;
}

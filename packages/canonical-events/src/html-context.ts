/**
 * Where in an HTML template a value may not be inserted, even escaped:
 * - `tag`: inside a tag but outside an attribute value (`<{{x}}>`, `<img {{x}}>`, an end tag);
 * - `unquoted-attribute`: an attribute value without quotes (`alt={{x}}`), where a space starts a
 *   new attribute;
 * - `comment`: inside `<!-- -->` or another markup declaration;
 * - `script-or-style`: inside `<script>`, `<style>` or another raw-text element, where
 *   entities are not decoded and escaping does not help;
 * - `event-handler-attribute`, `style-attribute`, `srcdoc-attribute`, `animation-attribute`:
 *   an `on*` attribute (JavaScript), `style` (CSS), `srcdoc` (a whole HTML document), or SVG
 *   animation's `to`/`from`/`values`/`by`/`attributeName` (which can set any of those);
 * - `url-attribute`: the start of a URL attribute (`href`, `src`…) when the value would not begin
 *   with a safe scheme (`http:`, `https:`, `mailto:`, `tel:`) or a relative path, e.g. a
 *   `javascript:` URL.
 */
export type UnsafeTemplateContext =
  | 'tag'
  | 'unquoted-attribute'
  | 'comment'
  | 'script-or-style'
  | 'event-handler-attribute'
  | 'style-attribute'
  | 'srcdoc-attribute'
  | 'animation-attribute'
  | 'url-attribute';

const enum State {
  Data,
  TagOpen,
  TagName,
  EndTag,
  BeforeAttribute,
  AttributeName,
  AfterAttributeName,
  BeforeValue,
  DoubleQuoted,
  SingleQuoted,
  Unquoted,
  MarkupDeclaration,
  Comment,
  Bogus,
  RawText,
  EscapableRawText,
}

const enum Scheme {
  Undecided,
  Safe,
  Unsafe,
}

const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
const ESCAPABLE_RAW_TEXT_ELEMENTS = new Set(['title', 'textarea']);
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'cite', 'background', 'ping',
  'codebase', 'longdesc', 'usemap', 'manifest', 'icon', 'lowsrc', 'dynsrc', 'archive', 'classid', 'profile',
]);
const ANIMATION_ATTRIBUTES = new Set(['to', 'from', 'values', 'by', 'attributename']);
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

const isSpace = (char: string) => char === ' ' || char === '\n' || char === '\t' || char === '\f' || char === '\r';
const isLetter = (char: string) => (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z');
const isSchemeChar = (char: string) => isLetter(char) || (char >= '0' && char <= '9') || char === '+' || char === '-' || char === '.';

/** Tracks the HTML tokenizer state across a template's literal text, one character at a time. */
export interface HtmlContext {
  /** Advances over literal template text (markup the template's author wrote). */
  literal(text: string): void;
  /**
   * Whether `value` (raw, before escaping) may be inserted here once escaped; `undefined` when it
   * may (text, or a quoted attribute value), else why not. A value that may be inserted is taken
   * into account (a URL's scheme), so call this once per inserted value.
   */
  insert(value: string): UnsafeTemplateContext | undefined;
}

/**
 * A small HTML tokenizer (the states of the WHATWG tokenizer a template can reach), linear in the
 * text: each character is looked at once. It only has to tell where a placeholder lands; escaped
 * values never change its state.
 */
export function createHtmlContext(): HtmlContext {
  let state = State.Data;
  let tagName = '';
  let attribute = '';
  let rawEnd = ''; // `</script` while inside a raw-text element
  let rawMatched = 0;
  let dashes = 0;
  let scheme = Scheme.Safe;
  let schemeText = '';

  const closeTag = () => {
    if (RAW_TEXT_ELEMENTS.has(tagName)) state = State.RawText;
    else if (ESCAPABLE_RAW_TEXT_ELEMENTS.has(tagName)) state = State.EscapableRawText;
    else state = State.Data;
    if (state !== State.Data) {
      rawEnd = `</${tagName}`;
      rawMatched = 0;
    }
  };

  const startValue = (quoted: State) => {
    state = quoted;
    const isUrl = URL_ATTRIBUTES.has(attribute);
    scheme = isUrl ? Scheme.Undecided : Scheme.Safe;
    schemeText = '';
  };

  /** Follows the scheme of a URL attribute value while it is undecided; returns the new decision. */
  const schemeStep = (char: string, fromValue: boolean, current: Scheme, text: string): [Scheme, string] => {
    // Browsers drop tabs and newlines anywhere in a URL, and spaces and controls before it.
    if (char === '\t' || char === '\n' || char === '\r') return [current, text];
    if (text === '' && char <= ' ') return [current, text];
    if (isSchemeChar(char) && (text !== '' || isLetter(char))) return [current, text + char.toLowerCase()];
    if (char === ':') return [text !== '' && SAFE_SCHEMES.has(text) ? Scheme.Safe : Scheme.Unsafe, text];
    // An entity in the template's own text could spell any scheme.
    if (char === '&' && !fromValue) return [Scheme.Unsafe, text];
    return [Scheme.Safe, text];
  };

  const valueChar = (char: string) => {
    if (scheme === Scheme.Undecided) [scheme, schemeText] = schemeStep(char, false, scheme, schemeText);
  };

  const step = (char: string): void => {
    switch (state) {
      case State.Data:
        if (char === '<') state = State.TagOpen;
        return;
      case State.TagOpen:
        if (isLetter(char)) {
          state = State.TagName;
          tagName = char.toLowerCase();
        } else if (char === '/') state = State.EndTag;
        else if (char === '!') {
          state = State.MarkupDeclaration;
          dashes = 0;
        } else if (char === '?') state = State.Bogus;
        else {
          state = State.Data;
          step(char);
        }
        return;
      case State.EndTag:
        if (char === '>') state = State.Data;
        return;
      case State.TagName:
        if (isSpace(char) || char === '/') state = State.BeforeAttribute;
        else if (char === '>') closeTag();
        else tagName += char.toLowerCase();
        return;
      case State.BeforeAttribute:
        if (char === '>') closeTag();
        else if (!isSpace(char) && char !== '/') {
          state = State.AttributeName;
          attribute = char.toLowerCase();
        }
        return;
      case State.AttributeName:
        if (isSpace(char)) state = State.AfterAttributeName;
        else if (char === '/') state = State.BeforeAttribute;
        else if (char === '=') state = State.BeforeValue;
        else if (char === '>') closeTag();
        else attribute += char.toLowerCase();
        return;
      case State.AfterAttributeName:
        if (char === '=') state = State.BeforeValue;
        else if (char === '/') state = State.BeforeAttribute;
        else if (char === '>') closeTag();
        else if (!isSpace(char)) {
          state = State.AttributeName;
          attribute = char.toLowerCase();
        }
        return;
      case State.BeforeValue:
        if (char === '"') startValue(State.DoubleQuoted);
        else if (char === "'") startValue(State.SingleQuoted);
        else if (char === '>') closeTag();
        else if (!isSpace(char)) {
          startValue(State.Unquoted);
          valueChar(char);
        }
        return;
      case State.DoubleQuoted:
      case State.SingleQuoted:
        if (char === (state === State.DoubleQuoted ? '"' : "'")) state = State.BeforeAttribute;
        else valueChar(char);
        return;
      case State.Unquoted:
        if (isSpace(char)) state = State.BeforeAttribute;
        else if (char === '>') closeTag();
        else valueChar(char);
        return;
      case State.MarkupDeclaration:
        if (char === '-' && ++dashes === 2) {
          state = State.Comment;
          dashes = 0;
        } else if (char !== '-') state = char === '>' ? State.Data : State.Bogus;
        return;
      case State.Comment:
        if (char === '>' && dashes >= 2) state = State.Data;
        dashes = char === '-' ? dashes + 1 : 0;
        return;
      case State.Bogus:
        if (char === '>') state = State.Data;
        return;
      case State.RawText:
      case State.EscapableRawText:
        if (rawMatched === rawEnd.length) {
          if (char === '>') state = State.Data;
          else if (isSpace(char) || char === '/') state = State.EndTag;
          else rawMatched = char === '<' ? 1 : 0;
        } else if (char.toLowerCase() === rawEnd[rawMatched]) rawMatched++;
        else rawMatched = char === '<' ? 1 : 0;
        return;
    }
  };

  return {
    literal(text) {
      for (let index = 0; index < text.length; index++) step(text[index] as string);
    },
    insert(value) {
      switch (state) {
        case State.Data:
          return undefined;
        case State.EscapableRawText:
          // Escaped text cannot form `</title>`, unless the template already started it.
          return rawMatched > 0 ? 'tag' : undefined;
        case State.DoubleQuoted:
        case State.SingleQuoted:
          if (attribute.startsWith('on')) return 'event-handler-attribute';
          if (attribute === 'style') return 'style-attribute';
          if (attribute === 'srcdoc') return 'srcdoc-attribute';
          if (ANIMATION_ATTRIBUTES.has(attribute)) return 'animation-attribute';
          if (scheme === Scheme.Undecided) {
            // The value itself must settle the URL as safe: a scheme it leaves open could be
            // completed into `javascript:` by what follows.
            let next: [Scheme, string] = [scheme, schemeText];
            for (let index = 0; index < value.length && next[0] === Scheme.Undecided; index++) {
              next = schemeStep(value[index] as string, true, next[0], next[1]);
            }
            if (next[0] !== Scheme.Safe) return 'url-attribute';
            [scheme, schemeText] = next;
          }
          return scheme === Scheme.Unsafe ? 'url-attribute' : undefined;
        case State.BeforeValue:
        case State.Unquoted:
          return 'unquoted-attribute';
        case State.MarkupDeclaration:
        case State.Comment:
        case State.Bogus:
          return 'comment';
        case State.RawText:
          return 'script-or-style';
        default:
          return 'tag';
      }
    },
  };
}

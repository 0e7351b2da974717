/**
 * A strict, bounded reader for Metadata API XML files: a declaration, one root element in the metadata
 * namespace, and child elements holding text or further elements (package.xml's `types`). Enough to
 * validate what a deploy sends; no DTDs, no entities beyond XML's five and character references, so
 * no entity expansion can blow up.
 */
export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Text content (entities resolved); '' for an element with children. */
  text: string;
  children: XmlElement[];
}

export class XmlError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

const MAX_DEPTH = 6;
const MAX_ELEMENTS = 2000;
const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;

export function parseMetadataXml(source: string): XmlElement {
  let pos = 0;
  let elements = 0;
  const lineAt = (i: number) => source.slice(0, i).split('\n').length;
  const fail = (message: string): never => {
    throw new XmlError(message, lineAt(pos));
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = pos;
      ws.exec(source);
      pos = ws.lastIndex;
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end === -1) fail('unterminated comment');
        pos = end + 3;
      } else if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos + 2);
        if (end === -1) fail('unterminated processing instruction');
        pos = end + 2;
      } else return;
    }
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(source);
    if (!m) return fail('expected an element name');
    pos = NAME.lastIndex;
    return m[0];
  };
  const element = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail('elements nested too deep');
    if (++elements > MAX_ELEMENTS) fail('too many elements');
    if (source[pos] !== '<') fail('expected "<"');
    pos++;
    const el: XmlElement = { name: name(), attributes: {}, text: '', children: [] };
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = pos;
      ws.exec(source);
      const hadSpace = ws.lastIndex > pos;
      pos = ws.lastIndex;
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      if (!hadSpace) fail('expected a space before an attribute');
      const attr = name();
      const m = /\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
      m.lastIndex = pos;
      const v = m.exec(source);
      if (!v) fail(`bad value for attribute ${attr}`);
      pos = m.lastIndex;
      if (Object.hasOwn(el.attributes, attr)) fail(`attribute ${attr} appears twice`);
      el.attributes[attr] = decode(v![1] ?? v![2] ?? '');
    }
    let text = '';
    for (;;) {
      const lt = source.indexOf('<', pos);
      if (lt === -1) fail(`element ${el.name} is not closed`);
      text += source.slice(pos, lt);
      pos = lt;
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) fail(`element ${el.name} is closed by ${closing}`);
        const end = /\s*>/y;
        end.lastIndex = pos;
        if (!end.exec(source)) fail('expected ">"');
        pos = end.lastIndex;
        break;
      }
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end === -1) fail('unterminated comment');
        pos = end + 3;
        continue;
      }
      if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos + 9);
        if (end === -1) fail('unterminated CDATA section');
        text += source.slice(pos + 9, end).replace(/&/g, '&amp;').replace(/</g, '&lt;');
        pos = end + 3;
        continue;
      }
      if (source.startsWith('<!', pos) || source.startsWith('<?', pos)) fail('declarations are not allowed inside elements');
      el.children.push(element(depth + 1));
    }
    if (el.children.length > 0) {
      if (text.trim() !== '') fail(`element ${el.name} mixes text and elements`);
    } else {
      el.text = decode(text);
    }
    return el;

    function decode(raw: string): string {
      return raw.replace(/&(#x[0-9A-Fa-f]{1,6}|#\d{1,7}|[A-Za-z]+);|&/g, (whole, ref: string | undefined) => {
        if (ref === undefined) return fail('a bare "&" must be written &amp;');
        if (ref.startsWith('#')) {
          const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
          if (code > 0x10ffff || code === 0) fail(`bad character reference ${whole}`);
          return String.fromCodePoint(code);
        }
        const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
        return named[ref] ?? fail(`unknown entity ${whole}`);
      });
    }
  };

  if (source.charCodeAt(0) === 0xfeff) pos = 1;
  skipMisc();
  if (source.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE is not allowed');
  const root = element(0);
  skipMisc();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** Text of the first child named `name`, or undefined. */
export function childText(el: XmlElement, name: string): string | undefined {
  return el.children.find((c) => c.name === name)?.text;
}

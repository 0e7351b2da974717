import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { childText, parseMetadataXml, XmlError } from './metadata-xml.js';
import { readZip, ZipError } from './zip-read.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('readZip', () => {
  it('reads stored and deflated entries and skips directories', () => {
    const zip = Buffer.from(zipSync({ 'package.xml': enc('<a/>'), 'dir/': new Uint8Array(), 'x/y.eca': [enc('hello'), { level: 0 }] }));
    const files = readZip(zip);
    expect([...files.keys()].sort()).toEqual(['package.xml', 'x/y.eca']);
    expect(files.get('x/y.eca')!.toString()).toBe('hello');
  });

  it('stops a zip bomb at the limit instead of inflating it', () => {
    const bomb = Buffer.from(zipSync({ 'package.xml': new Uint8Array(20 * 1024 * 1024) }, { level: 9 }));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => readZip(bomb)).toThrow(/expands beyond the size limit/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('bounds the total across entries and the entry count', () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 101; i++) many[`f${i}`] = enc('x');
    expect(() => readZip(Buffer.from(zipSync(many)))).toThrow(/101 entries/);
    const big: Record<string, Uint8Array> = {};
    for (let i = 0; i < 9; i++) big[`f${i}`] = new Uint8Array(250 * 1024);
    expect(() => readZip(Buffer.from(zipSync(big)))).toThrow(/size limit/);
  });

  it('refuses names that leave the root, and garbage', () => {
    expect(() => readZip(Buffer.from(zipSync({ '../evil': enc('x') })))).toThrow(/leaves the archive root/);
    expect(() => readZip(Buffer.from('not a zip at all, just some text'))).toThrow(ZipError);
    const zip = Buffer.from(zipSync({ 'a.txt': enc('x'.repeat(1000)) }));
    zip.writeUInt32LE(0xfffffff0, zip.length - 22 + 16); // central directory offset out of bounds
    expect(() => readZip(zip)).toThrow(ZipError);
  });
});

describe('parseMetadataXml', () => {
  it('reads the root, its namespace, text with entities, and nested elements', () => {
    const root = parseMetadataXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>A&amp;B&#60;&#x3e;</members><name>X</name></types><version>66.0</version></Package>\n',
    );
    expect(root.name).toBe('Package');
    expect(root.attributes.xmlns).toBe('http://soap.sforce.com/2006/04/metadata');
    expect(childText(root.children[0]!, 'members')).toBe('A&B<>');
    expect(childText(root, 'version')).toBe('66.0');
  });

  it.each([
    ['<!DOCTYPE x [<!ENTITY a "b">]><x/>', /DOCTYPE/],
    ['<x>&lol;</x>', /unknown entity/],
    ['<x>a & b</x>', /bare "&"/],
    ['<x><y></x>', /closed by/],
    ['<x>text<y/></x>', /mixes text/],
    ['<x/><y/>', /after the root/],
    ['<a><a><a><a><a><a><a><a>deep</a></a></a></a></a></a></a></a>', /too deep/],
  ])('refuses %s', (xml, why) => {
    expect(() => parseMetadataXml(xml)).toThrow(XmlError);
    expect(() => parseMetadataXml(xml)).toThrow(why);
  });
});

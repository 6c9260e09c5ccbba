/**
 * The test fixtures' GBK writer, shared by the export fixtures, the export corpus and the roster
 * fixtures.
 */

/** GBK bytes through Node's own GB18030 decoder, read backwards (Node has no GBK encoder). */
export function gbkEncoder(): (text: string) => Uint8Array {
  const decoder = new TextDecoder("gb18030");
  const table = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && char !== "\ufffd" && !table.has(char)) table.set(char, [lead, trail]);
    }
  return (text) => {
    const bytes: number[] = [];
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (code < 0x80) bytes.push(code);
      else {
        const pair = table.get(char);
        if (!pair) throw new Error(`"${char}" has no GBK code`);
        bytes.push(...pair);
      }
    }
    return Uint8Array.from(bytes);
  };
}

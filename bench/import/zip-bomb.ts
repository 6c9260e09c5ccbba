/**
 * An xlsx zip bomb: a well-formed workbook whose first sheet holds one cell of `megabytes` MB of
 * "A", deflated about 1000:1 (400 MB is a 0.4 MB file). With `lie`, the zip directory declares
 * the sheet 1 KB once inflated, as a bomb made to pass a size check would. Written without ever
 * holding the inflated sheet.
 *
 *   node --import tsx bench/import/zip-bomb.ts [--megabytes 400] [--lie] [--out bomb.xlsx]
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createDeflateRaw, deflateRawSync, constants as zlib } from "node:zlib";

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface ZipPart {
  name: string;
  compressed: Buffer;
  crc: number;
  /** Inflated size as the directory declares it. */
  size: number;
}

/** A part deflated whole, with its true sizes. */
export const deflatedPart = (name: string, text: string | Uint8Array): ZipPart => {
  const bytes = Buffer.from(text);
  return { name, compressed: deflateRawSync(bytes), crc: crc32(0, bytes), size: bytes.length };
};

/** The sheet with its one big cell, deflated a megabyte at a time. */
async function bombSheet(megabytes: number): Promise<{ compressed: Buffer; crc: number; size: number }> {
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      '<row r="1"><c r="A1" t="inlineStr"><is><t>',
  );
  const tail = Buffer.from("</t></is></c></row></sheetData></worksheet>");
  const block = Buffer.alloc(1 << 20, "A");
  const deflate = createDeflateRaw({ level: zlib.Z_BEST_COMPRESSION });
  const out: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  let crc = 0;
  let size = 0;
  const write = async (bytes: Buffer) => {
    crc = crc32(crc, bytes);
    size += bytes.length;
    if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once("drain", resolve));
  };
  await write(head);
  for (let i = 0; i < megabytes; i++) await write(block);
  await write(tail);
  deflate.end();
  await done;
  return { compressed: Buffer.concat(out), crc, size };
}

/** A zip of the parts, their directory saying what each part says of itself. */
export function zipOf(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(part.crc, 14);
    local.writeUInt32LE(part.compressed.length, 18);
    local.writeUInt32LE(part.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(part.crc, 16);
    central.writeUInt32LE(part.compressed.length, 20);
    central.writeUInt32LE(part.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, part.compressed);
    centrals.push(central, name);
    offset += local.length + name.length + part.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export async function zipBomb(options: { megabytes: number; lie?: boolean }): Promise<Buffer> {
  const sheet = await bombSheet(options.megabytes);
  const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  return zipOf([
    deflatedPart(
      "[Content_Types].xml",
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    deflatedPart(
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    deflatedPart(
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}" xmlns:r="${rel}"><sheets>` +
        '<sheet name="客服绩效" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    deflatedPart(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    { name: "xl/worksheets/sheet1.xml", ...sheet, size: options.lie ? 1024 : sheet.size },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      megabytes: { type: "string", default: "400" },
      lie: { type: "boolean", default: false },
      out: { type: "string", default: "zip-bomb.xlsx" },
    },
  });
  const bytes = await zipBomb({ megabytes: Number(values.megabytes), lie: values.lie });
  await writeFile(values.out, bytes);
  console.log(
    `${values.out}: ${(bytes.length / 1e3).toFixed(0)} KB, one cell of ${values.megabytes} MB once inflated` +
      (values.lie ? " (the zip directory says 1 KB)" : ""),
  );
}

import { openExportFile } from "./export-bytes.ts";
import { readZipDirectory } from "./zip-directory.ts";

const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * What can be told of a file before any store is opened: that it exists and, for a workbook
 * (a zip), that its directory is within ZIP_LIMITS. `kpi import` asks this first, so a missing
 * file or a zip bomb is refused in the time it takes to read a directory, not after the store has
 * been opened and the roster synced. The reader checks the same again (and more) as it reads.
 */
export async function checkExportFile(path: string, option: string): Promise<void> {
  const file = await openExportFile(path, option);
  try {
    const start = await file.read(0, ZIP.length);
    if (ZIP.every((b, i) => start[i] === b)) await readZipDirectory(file, path);
  } finally {
    await file.close();
  }
}

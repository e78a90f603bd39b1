/**
 * Rows of cells as lines of plain text: each column padded to its widest cell, two spaces apart, no
 * trailing blanks. The first row is usually the header; every row has the same number of cells.
 */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) =>
    r
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd(),
  );
}

/** A plain HTML table. Cells are HTML already escaped by the caller; numeric columns align right. */
export interface TableColumn {
  label: string;
  numeric?: boolean;
}

/** A row of cells, or a heading row that spans the whole table. */
export type TableRow = { cells: readonly string[] } | { heading: string };

export function htmlTable(columns: readonly TableColumn[], rows: readonly TableRow[], className = ''): string {
  const head = columns.map((c) => `<th${c.numeric === true ? ' class="num"' : ''}>${c.label}</th>`).join('');
  const body = rows.map((row) => tableRow(columns, row)).join('\n');
  const classAttr = className === '' ? '' : ` class="${className}"`;
  return `<table${classAttr}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function tableRow(columns: readonly TableColumn[], row: TableRow): string {
  if ('heading' in row) return `<tr class="group"><th colspan="${columns.length}">${row.heading}</th></tr>`;
  const cells = row.cells.map((cell, i) => {
    const column = columns[i];
    if (i === 0) return `<th scope="row">${cell}</th>`;
    return `<td${column?.numeric === true ? ' class="num"' : ''}>${cell}</td>`;
  });
  return `<tr>${cells.join('')}</tr>`;
}

// RFC 4180 CSV (quoted fields, "" inside quotes; no line breaks inside a field, as the import
// accepts) into JSON objects keyed by the header: what importBatch takes as NDJSON lines.
export function parseLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** One JSON object per data line; empty cells are left out (absent, as in the CSV import). */
export function csvToNdjson(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) return { header: lines.length ? parseLine(lines[0]) : [], lines: [] };
  const header = parseLine(lines[0]).map((c) => c.trim());
  const out = lines.slice(1).map((line) => {
    const cells = parseLine(line);
    const record = {};
    header.forEach((name, i) => { if (cells[i] !== undefined && cells[i] !== '') record[name] = cells[i]; });
    // a line with more cells than the header keeps them, so the service says what is wrong
    for (let i = header.length; i < cells.length; i++) record['column' + (i + 1)] = cells[i];
    return JSON.stringify(record);
  });
  return { header, lines: out };
}

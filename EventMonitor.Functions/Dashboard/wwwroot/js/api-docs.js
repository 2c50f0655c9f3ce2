// Renders /api/openapi.json as a list of operations. Every value goes in as text, never as markup.
const text = (tag, value, className) => {
  const node = document.createElement(tag);
  node.textContent = value;
  if (className) node.className = className;
  return node;
};

async function render() {
  const target = document.getElementById('api-operations');
  const response = await fetch('/api/openapi.json');
  if (!response.ok) {
    target.textContent = `Could not load the API description (${response.status}).`;
    return;
  }
  const doc = await response.json();
  document.getElementById('api-description').textContent = doc.info?.description ?? '';
  target.textContent = '';
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = operation.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, operation });
    }
  }
  for (const [tag, operations] of byTag) {
    const section = document.createElement('section');
    section.append(text('h2', tag));
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const title of ['Method', 'Path', 'Operation', 'Statuses']) head.append(text('th', title));
    const body = table.createTBody();
    for (const { path, method, operation } of operations) {
      const row = body.insertRow();
      row.append(text('td', method.toUpperCase(), 'method'), text('td', path, 'path'), text('td', operation.operationId ?? ''), text('td', Object.keys(operation.responses ?? {}).join(', ')));
    }
    section.append(table);
    target.append(section);
  }
}

render().catch(error => {
  document.getElementById('api-operations').textContent = `Could not show the API description: ${error.message}`;
});

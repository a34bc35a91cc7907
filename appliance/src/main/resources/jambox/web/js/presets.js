import { confirmTwice, h, setText } from './dom.js';
import { toast } from './toast.js';


// "Bad files with their reasons" may come as a list of sentences, of {file, reason}, or as a map.
function problemsOf(reply) {
  const problems = reply?.problems ?? [];
  if (!Array.isArray(problems)) return Object.entries(problems).map(([file, reason]) => `${file}: ${reason}`);
  return problems.map((p) => (typeof p === 'string' ? p
    : `${p.file ?? p.name ?? p.path ?? '?'}: ${p.reason ?? p.error ?? p.problem ?? ''}`));
}

function download(name, object) {
  const blob = new Blob([`${JSON.stringify(object, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `${name}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Presets on the box: load, save as, rename, delete, and moving them in and out as .json files. */
export function createPresets(root, send) {
  let names = [];
  let current;            // undefined until the first state push after (re)connecting

  const list = h('ul', { class: 'preset-list', testid: 'presets' });
  const problems = h('ul', { class: 'problems', testid: 'preset-problems' });

  const saveName = h('input', { testid: 'preset-save-name', placeholder: 'Preset name', autocomplete: 'off',
    'aria-label': 'Preset name', required: true });
  const saveForm = h('form', { class: 'row save-as' }, saveName,
    h('button', { type: 'submit', class: 'primary', testid: 'preset-save', text: 'Save as' }));
  saveForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = saveName.value.trim();
    if (!name) return;
    if (await send({ cmd: 'preset.save', name })) {
      saveName.value = '';
      toast(`Saved “${name}”`, 'info');
      refresh();
    }
  });

  const file = h('input', { type: 'file', accept: '.json,application/json', class: 'visually-hidden',
    testid: 'preset-import-file', 'aria-label': 'Preset file to import' });
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (!chosen) return;
    let preset;
    try {
      preset = JSON.parse(await chosen.text());
    } catch {
      toast(`${chosen.name} is not JSON`);
      return;
    }
    const name = preset?.name || chosen.name.replace(/\.json$/i, '');
    if (await send({ cmd: 'preset.import', preset, name })) {
      toast(`Imported “${name}”`, 'info');
      refresh();
    }
  });
  const importButton = h('button', { type: 'button', testid: 'preset-import', text: 'Import .json…',
    onclick: () => file.click() });

  // Puts back factory presets deleted or changed; presets of other names are the player's own and stay.
  const restore = confirmTwice(h('button', { type: 'button', testid: 'preset-restore-factory',
    text: 'Restore factory presets' }), 'Sure? Replaces edits', async () => {
    const reply = await send({ cmd: 'preset.restoreFactory' });
    if (!reply) return;
    const names = reply.restored ?? [];
    toast(names.length ? `Restored ${names.join(', ')}` : 'The factory presets were all there as they came', 'info');
    refresh();
  }, 5000);

  root.replaceChildren(list, saveForm, h('div', { class: 'row' }, importButton, file, restore), problems);

  async function refresh() {
    const reply = await send({ cmd: 'preset.list' });
    if (!reply) return;
    names = reply.presets ?? [];
    draw();
    const found = problemsOf(reply);
    problems.replaceChildren(...found.map((text) => h('li', { text })));
    problems.hidden = !found.length;
  }

  function draw() {
    if (!names.length) {
      list.replaceChildren(h('li', { class: 'hint', text: 'No presets yet: save the board as one.' }));
      return;
    }
    list.replaceChildren(...names.map(row));
  }

  function row(name) {
    const item = h('li', { class: 'preset', testid: 'preset', data: { name } });
    item.classList.toggle('current', name === current);
    const load = h('button', { type: 'button', class: 'preset-name', testid: 'preset-load', text: name,
      title: 'Load', onclick: () => send({ cmd: 'preset.load', name }) });
    const rename = h('button', { type: 'button', testid: 'preset-rename', text: 'Rename',
      onclick: () => startRename(item, name) });
    const exportButton = h('button', { type: 'button', testid: 'preset-export', text: 'Export',
      onclick: async () => {
        const reply = await send({ cmd: 'preset.export', name });
        if (reply?.preset) download(name, reply.preset);
      } });
    const remove = confirmTwice(h('button', { type: 'button', class: 'danger', testid: 'preset-delete', text: 'Delete' }),
      'Sure?', async () => { if (await send({ cmd: 'preset.delete', name })) refresh(); });
    item.append(load, h('span', { class: 'preset-actions' }, rename, exportButton, remove));
    return item;
  }

  function startRename(item, from) {
    const input = h('input', { value: from, testid: 'preset-rename-name', 'aria-label': `New name for ${from}`,
      autocomplete: 'off', required: true });
    const form = h('form', { class: 'row rename' }, input,
      h('button', { type: 'submit', class: 'primary', testid: 'preset-rename-ok', text: 'OK' }),
      h('button', { type: 'button', text: 'Cancel', onclick: draw }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const to = input.value.trim();
      if (!to || to === from) return draw();
      if (await send({ cmd: 'preset.rename', from, to })) refresh();
    });
    item.replaceChildren(form);
    input.focus();
    input.select();
  }

  return {
    reset() { current = undefined; },
    renderState(state) {
      if (state.preset === current) return;
      current = state.preset;
      // Someone may have saved or renamed from another phone; the list is not part of the state push.
      refresh();
    },
  };
}

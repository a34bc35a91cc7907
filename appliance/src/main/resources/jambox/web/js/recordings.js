import { h, setText } from './dom.js';

const SHOWN = 10; // the newest takes; the folder on the box holds them all

function size(bytes) {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

// input-1.wav and mix.wav say little to a player: say what each file holds.
function label(file) {
  if (file === 'mix.wav') return 'Mix';
  const input = /^input-(\d+)\.wav$/.exec(file);
  return input ? `Input ${input[1]} (dry)` : file;
}

/** The takes recorded on the box: where they are on its disk, and a download link for each file. */
export function createRecordings(root, send) {
  const where = h('p', { class: 'hint recordings-folder', testid: 'recordings-folder' });
  const list = h('ul', { class: 'recordings', testid: 'recordings' });
  const refreshButton = h('button', { type: 'button', testid: 'recordings-refresh', text: 'Refresh list',
    onclick: () => refresh() });
  root.replaceChildren(h('h3', { class: 'recordings-title', text: 'Recordings' }), list, where,
    h('div', { class: 'row' }, refreshButton));
  let wasRecording;

  function take(t) {
    const when = new Date(t.modified).toLocaleString();
    const links = (t.files ?? []).map((f) => h('a', { href: f.url, download: `${t.name}-${f.name}`,
      class: 'recording-file', testid: 'recording-file', data: { file: f.name },
      text: `${label(f.name)} · ${size(f.bytes)}` }));
    return h('li', { class: 'take', testid: 'take', data: { name: t.name } },
      h('span', { class: 'take-name', text: t.recording ? `${when} · recording…` : when, title: t.name }),
      h('span', { class: 'take-files' }, links));
  }

  async function refresh() {
    const reply = await send({ cmd: 'recordings' }, { quiet: true });
    if (!reply) return;
    setText(where, `Saved on the box in ${reply.folder}`);
    const takes = reply.takes ?? [];
    list.replaceChildren(...(takes.length ? takes.slice(0, SHOWN).map(take)
      : [h('li', { class: 'hint', text: 'No takes yet: press Record.' })]));
  }

  return {
    reset() { wasRecording = undefined; },
    // A take appears when recording starts and is complete when it stops: list again on each change.
    renderState(state) {
      const recording = !!state.recording;
      if (recording === wasRecording) return;
      wasRecording = recording;
      refresh();
    },
  };
}

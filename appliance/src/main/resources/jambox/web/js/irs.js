import { confirmTwice, h, setText } from './dom.js';
import { toast } from './toast.js';

function describe(slot) {
  if (slot.empty) return 'empty';
  const ms = Math.round(slot.seconds * 1000);
  return `${slot.name} · ${slot.rate / 1000} kHz · ${slot.channels === 2 ? 'stereo' : 'mono'} · ${ms} ms`;
}

/**
 * The 8 user impulse-response slots the ir pedal chooses from: what each holds, a file picker to
 * fill it and a button to empty it. A WAV is too big for a WebSocket message, so it is POSTed to the
 * path ir.list gives (it carries the page's key); the box checks the file and answers its reason.
 */
export function createIrs(root, send) {
  const list = h('ul', { class: 'irs', testid: 'irs' });
  root.replaceChildren(list,
    h('p', { class: 'hint', text: 'WAV, mono or stereo, any rate, at most 0.5 s. Pick one for a slot; the ir pedal plays it as "user N".' }));
  const rows = new Map();

  async function upload(slot, file, picker) {
    picker.value = ''; // the same file picked again is a new upload
    const info = await send({ cmd: 'ir.list' }, { quiet: true });
    if (!info) return;
    if (file.size > info.maxBytes) {
      toast(`${file.name}: ${(file.size / 1048576).toFixed(1)} MiB; a file is at most ${info.maxBytes / 1048576} MiB`);
      return;
    }
    const name = file.name.replace(/\.wav$/i, '').slice(0, 40).trim() || `user ${slot}`;
    const path = `${info.upload.replace('{slot}', slot)}&name=${encodeURIComponent(name)}`;
    try {
      const res = await fetch(path, { method: 'POST', body: file, headers: { 'Content-Type': 'audio/wav' } });
      const answer = await res.json().catch(() => ({ error: `the box answered ${res.status}` }));
      if (res.ok) toast(`Slot ${slot}: ${answer.name}`, 'info');
      else toast(`${file.name}: ${answer.error}`);
    } catch (error) {
      toast(`${file.name}: not sent (${error.message})`);
    }
  }

  function row(slot) {
    const text = h('span', { class: 'ir-slot', testid: 'ir-slot' });
    const picker = h('input', { type: 'file', accept: '.wav,audio/wav,audio/x-wav', testid: 'ir-file', hidden: true,
      onchange: () => picker.files.length && upload(slot, picker.files[0], picker) });
    const clear = confirmTwice(h('button', { type: 'button', testid: 'ir-clear', text: 'Clear' }), 'Sure?',
      () => send({ cmd: 'ir.clear', slot }));
    const li = h('li', { class: 'ir', data: { slot } }, h('span', { class: 'ir-n', text: `${slot}` }), text,
      h('button', { type: 'button', testid: 'ir-upload', text: 'Upload…', onclick: () => picker.click() }), clear, picker);
    rows.set(slot, { li, text, clear });
    return li;
  }

  return {
    renderState(state) {
      const slots = state.irs;
      root.closest('section').hidden = !slots; // a box that keeps no IRs
      if (!slots) return;
      if (rows.size === 0) list.replaceChildren(...slots.map((s) => row(s.slot)));
      for (const s of slots) {
        const r = rows.get(s.slot);
        if (!r) continue;
        setText(r.text, describe(s));
        r.clear.disabled = !!s.empty;
      }
    },
  };
}

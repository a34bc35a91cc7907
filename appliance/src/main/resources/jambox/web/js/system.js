import { h, setText, toggle } from './dom.js';

const POLL_MS = 5000;

function label(key) {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[._]/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function cell(value) {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

// The system reply's fields are the box's to choose; show whatever scalars it sends, one level deep,
// rather than guessing names that may change. Per-member network figures live in the room panel.
function rows(object, prefix = '') {
  const out = [];
  for (const [key, value] of Object.entries(object)) {
    if (['v', 'type', 'id', 'members'].includes(key) && !prefix) continue;
    if (value == null) continue;
    // A list of names (the MIDI devices plugged in): said in one row, "none" when empty.
    if (prefix && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out.push([label(prefix + key), value.length ? value.join(', ') : 'none']);
      continue;
    }
    if (typeof value === 'object') {
      if (!Array.isArray(value) && !prefix) out.push(...rows(value, `${key} `));
      continue;
    }
    out.push([label(prefix + key), cell(value)]);
  }
  return out;
}

/**
 * The box's health, asked for every few seconds while the page is visible and connected;
 * `onSystem` gets each reply too (the problems banner). Also the safety limiter's switch.
 */
export function createSystem(root, send, isOpen, onSystem) {
  const list = h('dl', { class: 'system', testid: 'system' });
  const xruns = h('p', { class: 'xruns', testid: 'xruns', text: 'Xruns: –' });
  let limiterOn = true;
  const limiter = h('button', { type: 'button', class: 'toggle', testid: 'limiter-toggle', text: 'Safety limiter',
    onclick: () => send({ cmd: 'limiter', on: !limiterOn }) });
  const limiterNote = h('span', { class: 'hint', testid: 'limiter-note', text: '' });
  root.replaceChildren(h('div', { class: 'row' }, limiter, limiterNote), xruns, list);

  async function poll() {
    if (!isOpen() || document.visibilityState !== 'visible') return;
    const reply = await send({ cmd: 'system' }, { quiet: true });
    if (!reply) return;
    const source = reply.system ?? reply;
    onSystem(source);
    list.replaceChildren(...rows(source).flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
  }

  setInterval(poll, POLL_MS);
  return {
    poll,
    renderState(state) {
      if (!state.limiter) return;
      limiterOn = !!state.limiter.on;
      toggle(limiter, limiterOn);
      const ms = state.latency?.sampleRate ? (1000 * state.limiter.lookaheadSamples / state.latency.sampleRate).toFixed(2) : null;
      setText(limiterNote, limiterOn
        ? `On: your headphones never go over ${state.limiter.ceilingDbtp} dB true peak${ms ? ` (adds ${ms} ms)` : ''}`
        : 'Off: nothing holds a sudden loud sound back');
    },
    // Every second from the stats push: a click in the sound shows up here before the next poll.
    renderStats(stats) {
      if (stats.xruns == null) return;
      setText(xruns, `Xruns: ${stats.xruns}`);
      xruns.classList.toggle('bad', stats.xruns > 0);
    },
  };
}

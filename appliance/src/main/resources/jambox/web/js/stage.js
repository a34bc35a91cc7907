import { h, setText, toggle } from './dom.js';
import { createKnob } from './knob.js';
import { liveView } from './live-view.js';
import { createMeter } from './meters.js';
import { formatGain, gainSpec } from './mixer.js';
import { createTuner } from './tuner.js';

// A link a player can jam over: under 20 ms mouth to ear and under 1 % of packets lost. Past 50 ms or
// 5 % playing in time gets hard. The colour is only a help: the figures and the word are always said.
const GOOD = { ms: 20, loss: 1 };
const FAIR = { ms: 50, loss: 5 };

function linkOf(ms, loss) {
  if (ms == null || loss == null) return ['unknown', 'measuring'];
  if (ms < GOOD.ms && loss < GOOD.loss) return ['good', 'good'];
  if (ms < FAIR.ms && loss < FAIR.loss) return ['fair', 'fair'];
  return ['poor', 'poor'];
}

function figure(value, digits) {
  return value == null || Number.isNaN(Number(value)) ? '–' : Number(value).toFixed(digits);
}

/**
 * What a player needs mid-song, big enough to read and hit from a metre away: the preset and the
 * next or previous one, a footswitch per pedal, the tuner, levels in and out, the headphones' master,
 * and who is in the room with how well their sound arrives.
 */
export function createStage(root, send) {
  let names = [];
  let current;

  const preset = h('p', { class: 'stage-preset', testid: 'stage-preset', role: 'status' });
  const step = (by) => {
    if (!names.length) return;
    const at = names.indexOf(current);
    // From a board that is no preset, "next" is the first and "previous" the last.
    const next = at < 0 ? (by > 0 ? 0 : names.length - 1) : (at + by + names.length) % names.length;
    send({ cmd: 'preset.load', name: names[next] });
  };
  const prev = h('button', { type: 'button', class: 'stage-step', testid: 'stage-prev', 'aria-label': 'Previous preset',
    onclick: () => step(-1) }, '◀');
  const next = h('button', { type: 'button', class: 'stage-step', testid: 'stage-next', 'aria-label': 'Next preset',
    onclick: () => step(1) }, '▶');

  const switches = h('div', { class: 'stage-switches' });
  const board = liveView(switches, {
    shapeOf: (state) => JSON.stringify(state.board?.channels?.map((c) => c.pedals.map((p) => p.type))),
    build: (state, ctx) => {
      const types = new Map((state.catalog ?? []).map((t) => [t.id, t]));
      const channels = state.board?.channels ?? [];
      return channels.map((channel, c) => h('div', { class: 'stage-chain' },
        channels.length > 1 ? h('h3', { text: `Input ${c + 1}` }) : null,
        channel.pedals.length ? null : h('p', { class: 'hint', text: 'No pedals on the board.' }),
        h('div', { class: 'stage-grid' }, channel.pedals.map((pedal, i) => {
          const name = types.get(pedal.type)?.name ?? pedal.type;
          const where = { channel: c, index: i };
          const word = h('span', { class: 'stomp-state' });
          const button = h('button', { type: 'button', class: 'stomp', testid: 'stage-footswitch', data: where,
            onclick: () => send({ cmd: 'bypass', ...where, on: button.dataset.bypass !== 'true' }) },
          h('span', { class: 'stomp-name', text: name }), h('span', { class: 'led', 'aria-hidden': 'true' }), word);
          ctx.update((s) => {
            const off = !!s.board.channels[c].pedals[i].bypass;
            button.dataset.bypass = String(off);
            toggle(button, !off);
            setText(word, off ? 'Off' : 'On');
          });
          return button;
        }))));
    },
  });

  const tunerBox = h('div', { class: 'stage-tuner tuner' });
  const tuner = createTuner(tunerBox, send, 'stage-');

  const levels = h('div', { class: 'stage-levels' },
    h('div', { class: 'stage-level' }, h('span', { class: 'stage-level-name', text: 'In' }),
      h('div', { class: 'meters' }, [0, 1].map((c) => createMeter(`pre-${c}`, `Input ${c + 1} before the pedals`)))),
    h('div', { class: 'stage-level' }, h('span', { class: 'stage-level-name', text: 'Out' }),
      h('div', { class: 'meters' }, [0, 1].map((c) => createMeter(`out-${c}`, `Output ${c === 0 ? 'left' : 'right'} level`)))));

  const master = createKnob({ spec: gainSpec(12), value: 0, label: 'Master volume', testid: 'stage-master',
    format: formatGain, send: (gainDb) => send({ cmd: 'mixer.master', gainDb }) });

  const roomSaid = h('p', { class: 'stage-room-state', testid: 'stage-room-state' });
  const members = h('ul', { class: 'stage-members', testid: 'stage-members' });
  const joinLink = h('a', { href: '#room', class: 'stage-join', text: 'Join a room…' });

  root.replaceChildren(
    h('div', { class: 'stage-presets' }, prev, preset, next),
    switches,
    tunerBox,
    h('div', { class: 'stage-mix' }, levels, h('div', { class: 'stage-master' }, master.el)),
    h('div', { class: 'stage-room' }, h('h3', { text: 'Room' }), roomSaid, members, joinLink));

  async function refresh() {
    const reply = await send({ cmd: 'preset.list' }, { quiet: true });
    if (reply) names = reply.presets ?? [];
    prev.disabled = next.disabled = !names.length;
  }

  let listed;        // the preset the list was last asked for at: renamed or saved ones come with a change
  let joined = false;
  let memberNames = new Map();

  return {
    reset() { listed = undefined; },
    renderState(state) {
      current = state.preset ?? null;
      const name = state.preset ?? state.board?.name ?? 'No preset';
      setText(preset, state.preset && state.presetEdited ? `${name} (edited)` : name);
      if (listed !== current) {
        listed = current;
        refresh();
      }
      board.render(state);
      tuner.renderState(state);
      root.classList.toggle('tuner-on', !!state.tuner?.on);
      master.set(state.mixer?.master ?? 0);
      const r = state.room ?? {};
      joined = r.status ? r.status === 'joined' : !!r.joined;
      setText(roomSaid, joined ? `In room '${r.room}' as ${r.name}` : 'Not in a room');
      memberNames = new Map((state.mixer?.members ?? []).map((m) => [String(m.id), m.name]));
      joinLink.hidden = joined;
      if (!joined) members.replaceChildren();
    },
    renderReading: tuner.renderReading,
    renderStats(stats) {
      if (!joined) return;
      const latency = new Map((stats.latency?.members ?? []).map((l) => [String(l.id), l]));
      const list = (Array.isArray(stats.members) ? stats.members : []).map((m) => {
        const ms = latency.get(String(m.id))?.mouthToEarMs;
        const [look, word] = linkOf(ms, m.lossPercent);
        return h('li', { class: `stage-member ${look}`, testid: 'stage-member', data: { member: m.id, link: look } },
          h('span', { class: 'stage-member-who' }, h('span', { class: 'link-dot', 'aria-hidden': 'true' }),
            h('span', { class: 'stage-member-name', text: m.name ?? memberNames.get(String(m.id)) ?? `#${m.id}` })),
          h('span', { class: 'stage-member-link',
            text: `${figure(ms, 0)} ms · ${figure(m.lossPercent, 1)} % loss · ${word}` }));
      });
      if (!list.length) list.push(h('li', { class: 'hint', text: 'Waiting for other players…' }));
      members.replaceChildren(...list);
    },
  };
}

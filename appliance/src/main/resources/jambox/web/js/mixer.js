import { h, setText, toggle } from './dom.js';
import { createKnob } from './knob.js';
import { liveView } from './live-view.js';
import { createMeter } from './meters.js';

// Faders stop at -60 dB: below that is silence to the ear, and the travel is better spent near 0 dB.
export const gainSpec = (max) => ({ min: -60, max, default: 0, unit: 'dB', taper: 'DB' });
const PAN = { min: -1, max: 1, default: 0, unit: '', taper: 'LINEAR' };

export function formatGain(v) {
  return `${v > 0 ? '+' : ''}${Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1)} dB`;
}

function formatPan(v) {
  if (Math.abs(v) < 0.005) return 'C';
  return `${v < 0 ? 'L' : 'R'} ${Math.round(Math.abs(v) * 100)}`;
}

/**
 * The master first (what you hear, found without scrolling on a stage), then input gains, your own
 * monitor and each room member, each strip with its meters.
 */
export function createMixer(root, send) {
  const view = liveView(root, {
    shapeOf: (s) => JSON.stringify([
      s.mixer?.input?.length, s.mixer?.self?.length,
      s.mixer?.members?.map((m) => [m.id, m.name, m.channels.length]),
    ]),
    build: (state, ctx) => {
      const mixer = state.mixer ?? { input: [], self: [], members: [] };

      function fader({ strip, channel, member, param, spec, label, format, command, get }) {
        const knob = ctx.knob(createKnob({
          spec, value: spec.default, label, testid: 'fader', format,
          data: { strip, channel, member, param },
          send: (value) => send({ ...command, [param]: value }),
          onSettled: ctx.settled,
        }));
        ctx.update((s) => knob.set(get(s)));
        return knob.el;
      }

      function mute({ strip, channel, member, command, get }) {
        const button = h('button', { type: 'button', class: 'mute', testid: 'mute', text: 'Mute',
          data: { strip, channel, member },
          onclick: () => send({ ...command, mute: button.getAttribute('aria-pressed') !== 'true' }) });
        ctx.update((s) => toggle(button, get(s)));
        return button;
      }

      // Two meters where one is not enough, each with a short name: the In strip shows what the audio
      // interface delivers (before the gain: where the converter clips, which only the interface's own
      // knob cures) and what leaves the pedals (after the gain: what the room hears).
      const labelled = (pairs) => h('div', { class: 'meters' },
        pairs.map(([name, meter]) => h('div', { class: 'meter-row' }, h('span', { class: 'meter-label', text: name }), meter)));

      const strips = [];
      const outs = [0, 1].map((c) => createMeter(`out-${c}`, `Output ${c === 0 ? 'left' : 'right'} level`));
      strips.push(h('div', { class: 'strip master', testid: 'strip-master' },
        h('div', { class: 'strip-head' }, h('div', { class: 'strip-name', text: 'Master' }),
          labelled([['L', outs[0]], ['R', outs[1]]])),
        h('div', { class: 'strip-controls' },
          fader({ strip: 'master', param: 'gainDb', spec: gainSpec(12), label: 'Phones', format: formatGain,
            command: { cmd: 'mixer.master' }, get: (s) => s.mixer.master }))));

      mixer.input.forEach((_, c) => strips.push(h('div', { class: 'strip', testid: 'strip-input', data: { channel: c } },
        h('div', { class: 'strip-head' },
          h('div', { class: 'strip-name', text: `In ${c + 1}` }),
          labelled([['In', createMeter(`pre-${c}`, `Input ${c + 1} at the interface`)],
            ['Fx', createMeter(`in-${c}`, `Input ${c + 1} after the pedals`)]])),
        h('div', { class: 'strip-controls' },
          fader({ strip: 'input', channel: c, param: 'gainDb', spec: gainSpec(24), label: 'Gain', format: formatGain,
            command: { cmd: 'mixer.input', channel: c }, get: (s) => s.mixer.input[c] })))));

      mixer.self.forEach((_, c) => {
        const command = { cmd: 'mixer.self', channel: c };
        strips.push(h('div', { class: 'strip', testid: 'strip-self', data: { channel: c } },
          h('div', { class: 'strip-head' }, h('div', { class: 'strip-name', text: `Me ${c + 1}` }),
            createMeter(`self-${c}`, `Me ${c + 1} in the headphones`)),
          h('div', { class: 'strip-controls' },
            fader({ strip: 'self', channel: c, param: 'gainDb', spec: gainSpec(12), label: 'Level', format: formatGain,
              command, get: (s) => s.mixer.self[c].gainDb }),
            fader({ strip: 'self', channel: c, param: 'pan', spec: PAN, label: 'Pan', format: formatPan,
              command, get: (s) => s.mixer.self[c].pan }),
            mute({ strip: 'self', channel: c, command, get: (s) => s.mixer.self[c].mute }))));
      });

      mixer.members.forEach((member, m) => {
        const name = h('div', { class: 'strip-name' });
        ctx.update((s) => setText(name, s.mixer.members[m].name || `Player ${member.id}`));
        const channels = member.channels.map((_, c) => {
          const command = { cmd: 'mixer.member', member: member.id, channel: c };
          const at = (s) => s.mixer.members[m].channels[c];
          const where = { strip: 'member', channel: c, member: member.id };
          return h('div', { class: 'strip-controls' },
            member.channels.length > 1 ? h('span', { class: 'strip-sub', text: `${c + 1}` }) : null,
            fader({ ...where, param: 'gainDb', spec: gainSpec(12), label: 'Level', format: formatGain,
              command, get: (s) => at(s).gainDb }),
            fader({ ...where, param: 'pan', spec: PAN, label: 'Pan', format: formatPan, command, get: (s) => at(s).pan }),
            mute({ ...where, command, get: (s) => at(s).mute }));
        });
        strips.push(h('div', { class: 'strip member', testid: 'strip-member', data: { member: member.id } },
          h('div', { class: 'strip-head' }, name, createMeter(`member-${member.id}`, `${member.name} level`)),
          channels));
      });

      if (!mixer.members.length) {
        strips.push(h('p', { class: 'hint', text: 'Nobody else in the room yet.' }));
      }
      return strips;
    },
  });
  return view;
}

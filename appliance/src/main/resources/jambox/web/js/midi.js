import { h, setText } from './dom.js';
import { toast } from './toast.js';

const NOTES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const CHANNELS = Array.from({ length: 16 }, (_, i) => i + 1);
// A fader, an encoder or a knob moves these; the rest are pressed (docs/midi.md).
const VALUES = new Set(['param', 'master', 'monitor']);
const RELATIVE = [['', 'Absolute (a fader)'], ['twosComplement', "Relative: two's complement"],
  ['signedBit', 'Relative: signed bit'], ['binaryOffset', 'Relative: binary offset']];

/** Note 60 is C4, as most keyboards and DAWs say it. */
export function noteName(n) {
  return `${NOTES[n % 12]}${Math.floor(n / 12) - 1}`;
}

/** The last message as a player reads it: "CC 11 = 64 · ch 1", "Note on C4 (60) vel 100 · ch 10". */
export function describeMessage(m) {
  if (!m) return 'Nothing received yet';
  const what = {
    cc: `CC ${m.number} = ${m.value}`,
    noteOn: `Note on ${noteName(m.number)} (${m.number}) vel ${m.value}`,
    noteOff: `Note off ${noteName(m.number)} (${m.number})`,
    program: `Program ${m.number}`,
  }[m.type] ?? m.text;
  return `${what} · ch ${m.channel}`;
}

function sourceOf(b) {
  const kind = ['cc', 'note', 'program'].find((k) => k in b);
  const label = { cc: 'CC', note: 'Note', program: 'Program' }[kind];
  const number = kind === 'note' ? `${noteName(b.note)} (${b.note})` : b[kind];
  return { kind, text: `${label} ${number} · ${b.channel == null || b.channel === 'any' ? 'any ch' : `ch ${b.channel}`}` };
}

function sameTarget(a, b) {
  return a.kind === b.kind && (a.pedal ?? null) === (b.pedal ?? null) && (a.param ?? null) === (b.param ?? null)
    && (a.kind !== 'monitor' || (a.channel ?? 0) === (b.channel ?? 0));
}

/**
 * The MIDI controllers' view: what the box hears (the last message, pushed ten times a second at
 * most, and the ports' counters), MIDI learn for every target, the map's bindings with their
 * settings, and which program changes load which preset. Learn is armed on the box; the state it
 * pushes says so, and says when it has bound or given up, so every page shows the same.
 */
export function createMidi(root, send) {
  let state = null;
  let presetNames = [];
  let shape = null;
  let countdown = null;

  const last = h('p', { class: 'midi-last', testid: 'midi-last', role: 'status', text: 'Nothing received yet' });
  const heard = h('p', { class: 'hint', testid: 'midi-heard' });
  const devices = h('p', { class: 'hint', testid: 'midi-devices' });
  const counters = h('p', { class: 'hint midi-counters', testid: 'midi-counters' });
  const problem = h('p', { class: 'midi-problem', testid: 'midi-problem', hidden: true });

  const learningText = h('p', { class: 'midi-learning-text', testid: 'midi-learning-text' });
  const learning = h('div', { class: 'midi-learning', testid: 'midi-learning', role: 'status', hidden: true },
    learningText,
    h('button', { type: 'button', testid: 'midi-learn-cancel', text: 'Cancel',
      onclick: () => send({ cmd: 'midi.learn', cancel: true }) }));

  const targets = h('div', { class: 'midi-targets', testid: 'midi-targets' });
  const bindings = h('ul', { class: 'midi-bindings', testid: 'midi-bindings' });
  const programs = h('div', { class: 'midi-programs', testid: 'midi-programs' });
  const clockSend = h('input', { type: 'checkbox', testid: 'midi-clock-send',
    onchange: () => send({ cmd: 'midi.clock', send: clockSend.checked }) });
  const clockFollow = h('select', { testid: 'midi-clock-follow', 'aria-label': 'Tempo from',
    onchange: () => send({ cmd: 'midi.clock', follow: clockFollow.value }) },
  h('option', { value: 'room', text: 'The room (or this box’s metronome)' }),
  h('option', { value: 'midi-in', text: 'A MIDI clock coming in' }));
  const clockNow = h('p', { class: 'hint', testid: 'midi-clock-now', role: 'status' });
  const clock = h('div', { class: 'midi-clock', testid: 'midi-clock' },
    h('label', { class: 'field inline' }, clockSend,
      h('span', { text: 'Send MIDI clock, start and stop on MIDI out, on the room’s beat' })),
    h('div', { class: 'fields' }, h('label', { class: 'field' }, h('span', { text: 'Tempo from' }), clockFollow)),
    clockNow);

  root.replaceChildren(
    h('div', { class: 'midi-live' }, h('h3', { text: 'Last message' }), last, heard, devices, counters),
    problem, learning,
    h('h3', { text: 'Bindings' }), bindings,
    h('h3', { text: 'Learn' }),
    h('p', { class: 'hint', text: 'Tap Learn, then move a fader, press a pad or switch, or send a program change.' }),
    targets,
    h('h3', { text: 'Program changes' }), programs,
    h('h3', { text: 'Clock' }), clock);

  function nameOf(target) {
    const types = new Map((state?.catalog ?? []).map((t) => [t.id, t]));
    switch (target.kind) {
      case 'param': {
        const type = types.get(target.pedal);
        const param = type?.params.find((p) => p.id === target.param);
        return `${type?.name ?? target.pedal} · ${param?.name ?? target.param}`;
      }
      case 'bypass': return `${types.get(target.pedal)?.name ?? target.pedal} · on/off`;
      case 'master': return 'Master volume';
      case 'monitor': return `Monitor of input ${(target.channel ?? 0) + 1}`;
      case 'preset': return 'Presets';
      case 'tap': return 'Tap tempo';
      case 'tuner': return 'Tuner';
      default: return target.kind;
    }
  }

  function map() {
    return state?.midi?.map ?? { version: 1, bindings: [] };
  }

  async function setMap(next, done) {
    if (await send({ cmd: 'midi.set', map: next })) {
      if (done) toast(done, 'info');
      return true;
    }
    return false;
  }

  function learnButton(target) {
    const data = { kind: target.kind, pedal: target.pedal, param: target.param,
      channel: target.kind === 'monitor' ? String(target.channel) : null };
    const button = h('button', { type: 'button', class: 'midi-learn', testid: 'midi-learn', data, text: 'Learn',
      'aria-label': `Learn ${nameOf(target)}`,
      onclick: () => send({ cmd: 'midi.learn', target }) });
    button.target = target;
    return button;
  }

  function boundTo(target) {
    return (map().bindings ?? []).filter((b) => sameTarget(b.target, target)).map((b) => sourceOf(b).text);
  }

  /** One target to learn: its name (under its pedal's heading: the parameter's alone), what drives it, Learn. */
  function targetRow(target, label) {
    const bound = boundTo(target);
    return h('li', { class: 'midi-target', testid: 'midi-target' },
      h('div', { class: 'midi-target-what' },
        h('span', { class: 'midi-target-name', text: label }),
        h('span', { class: 'midi-target-bound', testid: 'midi-target-bound', text: bound.length ? bound.join(', ') : 'not bound' })),
      learnButton(target));
  }

  function buildTargets() {
    const types = new Map((state.catalog ?? []).map((t) => [t.id, t]));
    // A pedal is named by its type: the first of that type on input 1's board, as the map says.
    const seen = new Set();
    const pedals = (state.board?.channels?.[0]?.pedals ?? []).filter((p) => !seen.has(p.type) && seen.add(p.type));
    const groups = pedals.map((p) => h('div', { class: 'midi-group' },
      h('h4', { text: types.get(p.type)?.name ?? p.type }),
      h('ul', { class: 'midi-target-list' },
        (types.get(p.type)?.params ?? []).map((param) => targetRow({ kind: 'param', pedal: p.type, param: param.id }, param.name)),
        targetRow({ kind: 'bypass', pedal: p.type }, 'On/off'))));
    const box = [{ kind: 'master' }, { kind: 'monitor', channel: 0 }, { kind: 'monitor', channel: 1 },
      { kind: 'preset' }, { kind: 'tap' }, { kind: 'tuner' }];
    groups.push(h('div', { class: 'midi-group' }, h('h4', { text: 'The box' }),
      h('ul', { class: 'midi-target-list' }, box.map((t) => targetRow(t, nameOf(t))))));
    targets.replaceChildren(...groups);
    markLearning();
  }

  /** The Learn button of the target being learned says so. */
  function markLearning() {
    const l = state?.midi?.learning;
    for (const button of targets.querySelectorAll('[data-testid=midi-learn]')) {
      const on = !!l && sameTarget(button.target, l);
      button.classList.toggle('on', on);
      setText(button, on ? 'Learning…' : 'Learn');
    }
  }

  function detailOf(b) {
    const parts = [];
    if (b.relative) parts.push(`relative (${b.relative})`);
    else if ('cc' in b && VALUES.has(b.target.kind)) parts.push('absolute, soft takeover');
    if (b.range) parts.push('heel' in b.range ? `heel ${b.range.heel} – toe ${b.range.toe}`
      : `range ${b.range.min} – ${b.range.max} ${b.range.curve ?? 'linear'}`);
    if (b.target.kind === 'preset') {
      parts.push(b.preset === 'previous' ? 'previous preset' : typeof b.preset === 'number' ? `preset number ${b.preset}` : 'next preset');
    } else if (!VALUES.has(b.target.kind)) {
      parts.push('a press');
    }
    return parts.join(' · ');
  }

  function select(options, value, label, testid) {
    const el = h('select', { 'aria-label': label, testid },
      options.map(([v, text]) => h('option', { value: String(v), text })));
    el.value = String(value);
    return el;
  }

  function field(label, control, wide = false) {
    return h('label', { class: wide ? 'field wide' : 'field' }, h('span', { text: label }), control);
  }

  /** The binding's settings as a small form; Save sends the whole map with it changed. */
  function editor(b, i, close) {
    const src = sourceOf(b);
    const channel = select([['any', 'Any channel'], ...CHANNELS.map((c) => [c, `Channel ${c}`])],
      b.channel ?? 'any', 'Channel', 'midi-edit-channel');
    const isValue = VALUES.has(b.target.kind);
    const fields = [field('Channel', channel)];
    let mode = null;
    let min = null;
    let max = null;
    let curve = null;
    let preset = null;
    let number = null;
    if (src.kind === 'cc' && (isValue || b.target.kind === 'preset')) {
      mode = select(RELATIVE, b.relative ?? '', 'Mode', 'midi-edit-mode');
      fields.push(field('Mode', mode, true));
    }
    if (src.kind === 'cc' && isValue) {
      // A heel..toe range follows the parameter's own taper; the map writes it heel/toe.
      const taper = b.range && 'heel' in b.range;
      min = h('input', { type: 'number', step: 'any', value: (taper ? b.range.heel : b.range?.min) ?? '', placeholder: 'whole travel', testid: 'midi-edit-min' });
      max = h('input', { type: 'number', step: 'any', value: (taper ? b.range.toe : b.range?.max) ?? '', placeholder: 'whole travel', testid: 'midi-edit-max' });
      curve = select([['linear', 'Linear'], ['log', 'Logarithmic'], ['taper', "The parameter's taper (heel – toe)"]],
        taper ? 'taper' : b.range?.curve ?? 'linear', 'Curve', 'midi-edit-curve');
      fields.push(field('Range from', min), field('to', max), field('Curve', curve));
    }
    if (b.target.kind === 'preset') {
      preset = select([['next', 'Next preset'], ['previous', 'Previous preset'], ['number', 'Preset number…']],
        typeof b.preset === 'number' ? 'number' : b.preset ?? 'next', 'Preset', 'midi-edit-preset');
      number = h('input', { type: 'number', min: '1', max: '128', step: '1', value: typeof b.preset === 'number' ? b.preset : 1,
        'aria-label': 'Preset number', testid: 'midi-edit-number' });
      fields.push(field('Does', preset, true), field('Number', number));
    }
    const save = async () => {
      const next = { [src.kind]: b[src.kind], target: b.target };
      if (channel.value !== 'any') next.channel = Number(channel.value);
      if (mode?.value) next.relative = mode.value;
      if (min && (min.value !== '' || max.value !== '')) {
        next.range = curve.value === 'taper' ? { heel: Number(min.value), toe: Number(max.value) }
          : { min: Number(min.value), max: Number(max.value), curve: curve.value };
      }
      if (preset?.value === 'previous') next.preset = 'previous';
      else if (preset?.value === 'number') next.preset = Number(number.value);
      const all = structuredClone(map());
      all.bindings[i] = next;
      if (await setMap(all, 'Binding saved')) close();
    };
    return h('div', { class: 'midi-edit', testid: 'midi-edit' },
      h('div', { class: 'fields' }, fields),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', testid: 'midi-edit-save', text: 'Save', onclick: save }),
        h('button', { type: 'button', text: 'Cancel', onclick: close })));
  }

  function buildBindings() {
    const list = map().bindings ?? [];
    if (!list.length) {
      bindings.replaceChildren(h('li', { class: 'hint', text: 'No bindings yet: learn one above.' }));
      return;
    }
    bindings.replaceChildren(...list.map((b, i) => {
      const src = sourceOf(b);
      const item = h('li', { class: 'midi-binding', testid: 'midi-binding', data: { index: i, source: src.kind } });
      const close = () => item.querySelector('.midi-edit')?.remove();
      item.append(
        h('div', { class: 'midi-binding-what' },
          h('span', { class: 'midi-binding-source', text: src.text }),
          h('span', { class: 'midi-binding-arrow', 'aria-hidden': 'true', text: '→' }),
          h('span', { class: 'midi-binding-target', text: nameOf(b.target) })),
        h('p', { class: 'hint midi-binding-detail', text: detailOf(b) }),
        h('div', { class: 'row' },
          h('button', { type: 'button', testid: 'midi-binding-edit', text: 'Edit',
            onclick: () => { if (!item.querySelector('.midi-edit')) item.append(editor(b, i, close)); } }),
          h('button', { type: 'button', class: 'danger', testid: 'midi-binding-remove', text: 'Remove',
            onclick: () => {
              const all = structuredClone(map());
              all.bindings.splice(i, 1);
              setMap(all, 'Binding removed');
            } })));
      return item;
    }));
  }

  function buildPrograms() {
    const p = map().programs ?? { channel: 'any', first: 0 };
    const on = p !== 'off';
    const enabled = h('input', { type: 'checkbox', checked: on, testid: 'midi-programs-on' });
    const channel = select([['any', 'Any channel'], ...CHANNELS.map((c) => [c, `Channel ${c}`])],
      on ? p.channel ?? 'any' : 'any', 'Program change channel', 'midi-programs-channel');
    const first = h('input', { type: 'number', min: '0', max: '127', step: '1', value: on ? p.first ?? 0 : 0,
      testid: 'midi-programs-first', 'aria-label': 'Program that loads the first preset' });
    const list = h('ol', { class: 'midi-program-list', testid: 'midi-program-list' });
    const showList = () => {
      const from = Number(first.value) || 0;
      list.replaceChildren(...presetNames.slice(0, 128 - from).map((name, i) => h('li', { class: 'midi-program',
        testid: 'midi-program', data: { program: from + i } },
      h('span', { class: 'midi-program-number', text: `Program ${from + i}` }), h('span', { text: name }))));
      list.hidden = !enabled.checked;
    };
    first.addEventListener('input', showList);
    enabled.addEventListener('change', showList);
    const save = () => {
      const all = structuredClone(map());
      if (!enabled.checked) all.programs = 'off';
      else {
        all.programs = { first: Number(first.value) };
        if (channel.value !== 'any') all.programs.channel = Number(channel.value);
      }
      setMap(all, 'Program changes saved');
    };
    showList();
    programs.replaceChildren(
      h('label', { class: 'field inline' }, enabled, h('span', { text: 'Program changes load presets, in the list’s order' })),
      h('div', { class: 'fields' }, field('Channel', channel), field('First preset is program', first)),
      h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', testid: 'midi-programs-save', text: 'Save',
        onclick: save })),
      list);
  }

  function renderLearning() {
    const l = state?.midi?.learning;
    clearInterval(countdown);
    countdown = null;
    learning.hidden = !l;
    markLearning();
    if (!l) return;
    const ends = performance.now() + 1000 * (state.midi.learnSeconds ?? 30);
    const tick = () => {
      const left = Math.max(0, Math.ceil((ends - performance.now()) / 1000));
      setText(learningText, `Learning ${nameOf(l)}: move a control on your MIDI controller (${left} s)`);
    };
    tick();
    countdown = setInterval(tick, 1000);
  }

  async function refreshPresets() {
    const reply = await send({ cmd: 'preset.list' }, { quiet: true });
    if (reply) presetNames = reply.presets ?? [];
    buildPrograms();
  }

  function renderClock(c) {
    clock.hidden = !c;
    if (!c) return;
    clockSend.checked = c.send;
    clockFollow.value = c.follow;
    let now;
    if (c.follow === 'midi-in') {
      now = c.incomingBpm == null ? 'Waiting for a MIDI clock on MIDI in' : `MIDI clock coming in: ${c.incomingBpm.toFixed(1)} BPM`;
    } else if (c.sending) {
      now = 'Sending clock now';
    } else {
      now = c.send ? 'Not sending now: the metronome is off' : 'Clock output off';
    }
    setText(clockNow, now);
  }

  function renderActivity(a) {
    setText(last, describeMessage(a.last));
    if (a.heard != null) setText(heard, `${a.heard} message${a.heard === 1 ? '' : 's'} received`);
  }

  return {
    renderState(next) {
      const before = state;
      state = next;
      if (!next.midi) {
        root.hidden = false;
        setText(last, 'This box runs without MIDI.');
        return;
      }
      const nextShape = JSON.stringify([next.midi.map, next.catalog?.map((t) => t.id),
        next.board?.channels?.[0]?.pedals?.map((p) => p.type)]);
      if (nextShape !== shape) {
        shape = nextShape;
        buildTargets();
        buildBindings();
        buildPrograms();
      }
      if (JSON.stringify(before?.midi?.learning) !== JSON.stringify(next.midi.learning) || !before) renderLearning();
      renderClock(next.midi.clock);
      problem.hidden = !next.midi.problem;
      setText(problem, next.midi.problem ?? '');
      renderActivity(next.midi);
      if (before?.preset !== next.preset || !before) refreshPresets();
    },
    /** The {@code midi} push: the last message, at most ten times a second. */
    renderActivity,
    /** The system reply's ports and devices. */
    renderSystem(system) {
      const m = system?.midi;
      if (!m) return;
      if (Array.isArray(m.sources)) {
        const all = m.sources.concat((m.sinks || []).map((s) => `${s} (out)`));
        setText(devices, all.length ? `Connected: ${all.join(', ')}` : 'No MIDI device connected');
      } else {
        setText(devices, 'No hardware MIDI here (simulated audio)');
      }
      setText(counters, `Ports: ${m.received} received · ${m.sent} sent · ${m.late} late · ${m.droppedIn + m.droppedOut} dropped`);
    },
  };
}

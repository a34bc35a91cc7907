import { confirmTwice, h, setText, toggle } from './dom.js';
import { createKnob } from './knob.js';
import { liveView } from './live-view.js';
import { enableReorder } from './reorder.js';

// Up to this many options read better as buttons than as a drop-down on a phone.
const MAX_SEGMENTS = 4;

/** What a chain's engaged pedals delay it by, from each type's own figure in the catalog. */
function chainLatency(state, c, types) {
  const samples = (state.board?.channels?.[c]?.pedals ?? [])
    .filter((p) => !p.bypass)
    .reduce((sum, p) => sum + (types.get(p.type)?.latencySamples ?? 0), 0);
  if (!samples) return 'Latency: none';
  const rate = state.latency?.sampleRate ?? 48000;
  return `Latency: ${Number.isInteger(samples) ? samples : samples.toFixed(2)} samples (${(1000 * samples / rate).toFixed(2)} ms)`;
}

/** The pedalboard: every control is generated from the catalog's descriptors. */
export function createBoard(root, send) {
  const view = liveView(root, {
    shapeOf: (state) => JSON.stringify([
      state.catalog?.map((t) => t.id),
      state.board?.channels?.map((c) => c.pedals.map((p) => p.type)),
    ]),
    build: (state, ctx) => {
      const types = new Map((state.catalog ?? []).map((t) => [t.id, t]));
      const channels = state.board?.channels ?? [];
      return channels.map((channel, c) => buildChain(channel, c, channels.length, types, state.catalog ?? [], ctx));
    },
  });

  function buildChain(channel, c, count, types, catalog, ctx) {
    const chain = h('div', { class: 'chain', data: { channel: c }, testid: 'chain' });
    channel.pedals.forEach((pedal, i) => chain.append(buildCard(c, i, pedal.type, types.get(pedal.type), ctx)));
    enableReorder(chain, (from, to) => send({ cmd: 'move', channel: c, from, to }));
    const title = count > 1 ? `Input ${c + 1}` : 'Chain';
    const latency = h('p', { class: 'chain-latency hint', testid: 'chain-latency', data: { channel: c } });
    ctx.update((state) => setText(latency, chainLatency(state, c, types)));
    return h('div', { class: 'chain-block' },
      h('h3', { text: title }),
      latency,
      chain,
      buildAdd(c, channel.pedals, types, catalog, ctx));
  }

  function buildCard(c, i, typeId, type, ctx) {
    const where = { channel: c, index: i };
    const bypass = h('button', {
      class: 'footswitch', testid: 'bypass', type: 'button', data: where,
      onclick: () => send({ cmd: 'bypass', ...where, on: bypass.dataset.bypass !== 'true' }),
    }, h('span', { class: 'led', 'aria-hidden': 'true' }), h('span', { class: 'footswitch-text' }));

    const card = h('article', { class: 'pedal', testid: 'pedal', data: { channel: c, index: i, type: typeId } },
      h('header', { class: 'pedal-head' },
        h('button', { class: 'handle', testid: 'handle', type: 'button', 'aria-label': `Move ${type?.name ?? typeId}`,
          title: 'Drag to reorder (or arrow keys)' }, '⠿'),
        h('h4', { class: 'pedal-name', text: type?.name ?? typeId, title: type?.description ?? '' }),
        // Two taps: a stray tap on stage must not pull a pedal out of the chain mid-song.
        confirmTwice(h('button', { class: 'remove', testid: 'remove', type: 'button', data: where,
          'aria-label': `Remove ${type?.name ?? typeId}`, title: 'Remove (tap twice)' }, '✕'),
        '?', () => send({ cmd: 'remove', ...where }))));

    const controls = h('div', { class: 'controls' });
    for (const spec of type?.params ?? []) {
      controls.append(spec.taper === 'CHOICE' ? buildChoice(c, i, spec, ctx) : buildKnob(c, i, spec, ctx));
    }
    card.append(controls, h('footer', { class: 'pedal-foot' }, bypass));

    ctx.update((state) => {
      const pedal = state.board.channels[c].pedals[i];
      const off = !!pedal.bypass;
      card.classList.toggle('bypassed', off);
      bypass.dataset.bypass = String(off);
      toggle(bypass, !off);
      bypass.lastChild.textContent = off ? 'Bypassed' : 'On';
      bypass.setAttribute('aria-label', `${type?.name ?? typeId} ${off ? 'bypassed' : 'on'}`);
    });
    return card;
  }

  function paramValue(state, c, i, spec) {
    return state.board.channels[c].pedals[i].params?.[spec.id] ?? spec.default;
  }

  function buildKnob(c, i, spec, ctx) {
    const knob = ctx.knob(createKnob({
      spec, value: spec.default, label: spec.name,
      data: { channel: c, index: i, param: spec.id },
      send: (value) => send({ cmd: 'set', channel: c, index: i, param: spec.id, value }),
      onSettled: ctx.settled,
    }));
    ctx.update((state) => knob.set(paramValue(state, c, i, spec)));
    return knob.el;
  }

  function buildChoice(c, i, spec, ctx) {
    const data = { channel: c, index: i, param: spec.id };
    const choose = (value) => send({ cmd: 'set', channel: c, index: i, param: spec.id, value });
    const label = h('span', { class: 'knob-label', text: spec.name });
    let control;
    let show;
    if (spec.choices.length <= MAX_SEGMENTS) {
      const buttons = spec.choices.map((name, n) => h('button', {
        type: 'button', class: 'segment', text: name, onclick: () => choose(n) }));
      control = h('div', { class: 'segmented', role: 'group', 'aria-label': spec.name }, buttons);
      show = (v) => buttons.forEach((b, n) => toggle(b, n === v));
    } else {
      control = h('select', { 'aria-label': spec.name, onchange: () => choose(Number(control.value)) },
        spec.choices.map((name, n) => h('option', { value: String(n), text: name })));
      show = (v) => { if (document.activeElement !== control) control.value = String(v); };
    }
    const box = h('div', { class: 'choice', testid: 'choice', data }, label, control);
    ctx.update((state) => {
      const v = Math.round(paramValue(state, c, i, spec));
      box.dataset.value = String(v);
      show(v);
    });
    return box;
  }

  function buildAdd(c, pedals, types, catalog) {
    const type = h('select', { testid: 'add-type', data: { channel: c }, 'aria-label': 'Pedal to add' },
      catalog.map((t) => h('option', { value: t.id, text: t.name, title: t.description ?? '' })));
    const position = h('select', { testid: 'add-position', data: { channel: c }, 'aria-label': 'Where' },
      h('option', { value: String(pedals.length), text: 'at the end' }),
      pedals.map((p, i) => h('option', { value: String(i), text: `before ${i + 1}. ${types.get(p.type)?.name ?? p.type}` })));
    const add = h('button', { type: 'button', class: 'primary', testid: 'add-pedal', data: { channel: c },
      text: 'Add pedal',
      onclick: () => send({ cmd: 'insert', channel: c, index: Number(position.value), type: type.value }) });
    return h('div', { class: 'add-pedal row' }, type, position, add);
  }

  return view;
}

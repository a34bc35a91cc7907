import { fillIfIdle, h, setText, toggle } from './dom.js';

/** The metronome (tempo typed or tapped, the click, its bar, level and accent) and the recorder switch. */
export function createTempo(root, send) {
  const bpm = h('input', { type: 'number', min: '20', max: '400', step: '1', inputmode: 'numeric',
    testid: 'bpm', 'aria-label': 'Tempo in BPM' });
  const setTempo = () => {
    const value = Number(bpm.value);
    if (value >= 20 && value <= 400) send({ cmd: 'tempo', bpm: value });
  };
  bpm.addEventListener('change', setTempo);
  bpm.addEventListener('keydown', (event) => { if (event.key === 'Enter') bpm.blur(); });

  // pointerdown, not click: a tap tempo must land on the beat, not on the finger's release.
  const tap = h('button', { type: 'button', class: 'tap', testid: 'tap', text: 'TAP' });
  tap.addEventListener('pointerdown', (event) => {
    if (event.button === 0) send({ cmd: 'tap' });
  });
  tap.addEventListener('keydown', (event) => {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (!event.repeat) send({ cmd: 'tap' });
    }
  });

  let clicking = false;
  const click = h('button', { type: 'button', class: 'toggle', testid: 'click', text: 'Click',
    'aria-label': 'Metronome click on or off', onclick: () => send({ cmd: 'metronome', on: !clicking }) });

  const beats = h('select', { testid: 'beats-per-bar', 'aria-label': 'Beats per bar' },
    Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1), text: String(i + 1) })));
  beats.addEventListener('change', () => send({ cmd: 'metronome', beatsPerBar: Number(beats.value) }));

  const slider = (testid, label, min, max, field) => {
    const input = h('input', { type: 'range', min: String(min), max: String(max), step: '1', testid, 'aria-label': label });
    const shown = h('output', { class: 'value' });
    input.addEventListener('input', () => setText(shown, `${input.value} dB`));
    // change, not input: one command when the finger lifts, not one per pixel (each is saved to disk).
    input.addEventListener('change', () => send({ cmd: 'metronome', [field]: Number(input.value) }));
    return { input, shown };
  };
  const level = slider('click-level', 'Click level in dBFS', -60, 0, 'levelDb');
  const accent = slider('click-accent', 'Accent: how much louder beat 1 is, in dB', 0, 12, 'accentDb');

  // The bar as dots, beat 1 marked: which beat the accent falls on.
  const bar = h('div', { class: 'bar', testid: 'bar', 'aria-hidden': 'true' });
  const follows = h('p', { class: 'hint', testid: 'tempo-source' });

  let recording = false;
  const countIn = h('input', { type: 'checkbox', testid: 'count-in' });
  const record = h('button', { type: 'button', class: 'toggle record', testid: 'record', text: 'Record',
    onclick: () => send(recording || !countIn.checked ? { cmd: 'record', on: !recording }
      : { cmd: 'record', on: true, countIn: true }) });

  root.replaceChildren(
    h('div', { class: 'row tempo' }, h('label', { class: 'field inline' }, h('span', { text: 'BPM' }), bpm), tap),
    h('div', { class: 'row' }, click, h('label', { class: 'field inline' }, h('span', { text: 'Beats' }), beats), bar),
    h('div', { class: 'row' }, h('label', { class: 'field inline slider' }, h('span', { text: 'Level' }), level.input,
      level.shown)),
    h('div', { class: 'row' }, h('label', { class: 'field inline slider' }, h('span', { text: 'Accent' }), accent.input,
      accent.shown)),
    follows,
    h('div', { class: 'row' }, record, h('label', { class: 'field inline' }, countIn, h('span', { text: 'One-bar count-in' }))));

  const fillSlider = (s, value) => {
    if (value == null || document.activeElement === s.input) return;
    if (s.input.value !== String(value)) s.input.value = String(value);
    setText(s.shown, `${Math.round(value * 10) / 10} dB`);
  };

  return {
    renderState(state) {
      const t = state.tempo ?? {};
      fillIfIdle(bpm, t.bpm == null ? '' : Math.round(t.bpm * 10) / 10);
      clicking = !!t.on;
      toggle(click, clicking);
      click.textContent = clicking ? '● Click' : 'Click';
      if (t.beatsPerBar != null && document.activeElement !== beats) beats.value = String(t.beatsPerBar);
      fillSlider(level, t.levelDb);
      fillSlider(accent, t.accentDb);
      const n = t.beatsPerBar ?? 4;
      if (bar.childElementCount !== n) {
        bar.replaceChildren(...Array.from({ length: n }, (_, i) => h('span', { class: i === 0 ? 'dot accent' : 'dot' })));
      }
      setText(follows, t.room ? 'Tempo, bar and beat follow the room.' : '');
      recording = !!state.recording;
      toggle(record, recording);
      record.textContent = recording ? '● Recording' : 'Record';
      countIn.disabled = recording;
    },
  };
}
